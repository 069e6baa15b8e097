import pytest

from accounts.selectors import personal_data_export
from tests.factories import UserFactory
from workshops.models import Card, Participant

pytestmark = pytest.mark.django_db


def test_export_holds_their_participations_and_cards(workshop, board, columns, bob):
    user, other = UserFactory(), UserFactory()
    mine = Participant.objects.create(workshop=workshop, user=user, display_name="Me")
    theirs = Participant.objects.create(
        workshop=workshop, user=other, display_name="Other"
    )
    Card.objects.create(board=board, column=columns[0], author=mine, text="Oma idea")
    Card.objects.create(board=board, column=columns[0], author=theirs, text="Vieras")
    Card.objects.create(board=board, column=columns[0], author=bob, text="Nimetön")

    data = personal_data_export(user)["workshops"]

    assert [p["display_name"] for p in data["participations"]] == ["Me"]
    assert data["participations"][0]["workshop"] == workshop.title
    assert [c["text"] for c in data["cards"]] == ["Oma idea"]
    assert data["cards"][0]["board"] == board.title
    assert "Vieras" not in str(data) and "Nimetön" not in str(data)


def test_export_is_empty_for_someone_who_never_joined(workshop):
    data = personal_data_export(UserFactory())["workshops"]
    assert data == {"participations": [], "cards": []}
