"""The board's "suggest groups": a facilitator's private proposal for one column,
applied only on their word, card by card through `card.group`."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import CityFactory, UserFactory
from workshops import services
from workshops.models import BoardEvent, Card
from workshops.services import suggestions

pytestmark = pytest.mark.django_db

BUSES = [
    "The night bus should run every half hour on weekends.",
    "Yöbussit kulkevat liian harvoin viikonloppuisin.",
    "Nattbussen går för sällan på helgerna.",
    "More late buses home from the centre after midnight, please.",
]
LIBRARIES = [
    "The library should stay open longer on Saturdays.",
    "Kirjasto voisi olla auki pidempään lauantaisin.",
    "Biblioteket borde ha öppet längre på lördagar.",
    "Library opening hours on weekends are too short.",
]
LANGUAGE = {0: "en", 1: "fi", 2: "sv", 3: "en"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cards(board, columns, alice):
    made = []
    for position, (i, text) in enumerate(
        [(i, t) for i, t in enumerate(BUSES)]
        + [(i, t) for i, t in enumerate(LIBRARIES)]
    ):
        made.append(
            Card.objects.create(
                board=board,
                column=columns[0],
                author=alice,
                text=text,
                language=LANGUAGE[i],
                position=position,
            )
        )
    return made


@pytest.fixture
def fac_client(facilitator):
    client = Client()
    client.force_login(facilitator)
    return client


def url(workshop, board):
    return reverse("workshops:board_suggest_groups", args=[workshop.pk, board.pk])


def suggest(client, workshop, board, column, groups="2"):
    return client.post(
        url(workshop, board),
        {"action": "suggest", "column": column.pk, "groups": groups},
    )


def test_the_proposal_groups_cards_across_languages_and_changes_nothing(
    fac_client, workshop, board, columns, cards, alice
):
    hidden = Card.objects.create(
        board=board, column=columns[0], author=alice, text="Secret bus", hidden=True
    )
    other = Card.objects.create(board=board, column=columns[1], text="Night buses")
    events = BoardEvent.objects.count()
    page = fac_client.get(url(workshop, board))
    assert page.status_code == 200
    assert "Suggest groups" in page.content.decode()

    response = suggest(fac_client, workshop, board, columns[0])
    assert response.status_code == 200
    proposal = response.context["proposal"]
    assert len(proposal) == 2
    together = [{card.text for card in group.cards} for group in proposal]
    assert set(BUSES) in together and set(LIBRARIES) in together
    html = response.content.decode()
    assert "Secret bus" not in html and hidden.text not in html
    assert other.text not in html
    assert all(group.name for group in proposal)
    # Proposed only: no card clustered, no event.
    assert BoardEvent.objects.count() == events
    assert not Card.objects.exclude(group="").exists()


def test_applying_clusters_each_card_through_card_group(
    fac_client, workshop, board, columns, cards
):
    buses, libraries = cards[:4], cards[4:]
    response = fac_client.post(
        url(workshop, board),
        {
            "action": "apply",
            "column": columns[0].pk,
            "name-1": "  Night\nbuses ",
            "cards-1": [c.pk for c in buses],
            "name-2": "  ",  # left out: these cards stay as they are
            "cards-2": [c.pk for c in libraries],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workshops:board", args=[workshop.pk, board.pk]
    )
    groups = dict(Card.objects.values_list("pk", "group"))
    assert {groups[c.pk] for c in buses} == {"Night buses"}  # one clean line
    assert {groups[c.pk] for c in libraries} == {""}
    events = list(BoardEvent.objects.filter(type="card.grouped").order_by("seq"))
    assert [e.payload["card"] for e in events] == [c.pk for c in buses]
    assert len({e.seq for e in events}) == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name-1": "x" * 200}, "at most"),
        ({"cards-1": ["nope"]}, "not understood"),
        ({"cards-2": "FIRST"}, "one group only"),
        ({"column": 0}, "Choose a column."),
    ],
)
def test_bad_applications_write_nothing(
    fac_client, workshop, board, columns, cards, data, message
):
    posted = {
        "action": "apply",
        "column": columns[0].pk,
        "name-1": "Buses",
        "cards-1": [cards[0].pk],
        "name-2": "Other",
    }
    if data.get("cards-2") == "FIRST":
        data = {"cards-2": [cards[0].pk]}
    posted.update(data)
    response = fac_client.post(url(workshop, board), posted)
    assert response.status_code == 400
    assert message in response.context["error"]
    assert not Card.objects.exclude(group="").exists()
    assert not BoardEvent.objects.filter(type="card.grouped").exists()


def test_a_card_from_another_column_or_gone_is_refused(
    fac_client, workshop, board, columns, cards
):
    elsewhere = Card.objects.create(board=board, column=columns[1], text="Elsewhere")
    for ids in ([cards[0].pk, elsewhere.pk], [cards[0].pk, 10**9]):
        response = fac_client.post(
            url(workshop, board),
            {"action": "apply", "column": columns[0].pk, "name-1": "A", "cards-1": ids},
        )
        assert response.status_code == 400
        assert "left the column" in response.context["error"]
    assert not Card.objects.exclude(group="").exists()


def test_too_few_too_many_and_bad_counts_are_told(
    fac_client, workshop, board, columns, cards, monkeypatch
):
    response = suggest(fac_client, workshop, board, columns[1])
    assert response.status_code == 400
    assert "at least 3 visible cards" in response.context["error"]
    response = suggest(fac_client, workshop, board, columns[0], groups="1")
    assert "between 2 and 12" in response.context["error"]
    monkeypatch.setattr(suggestions, "SUGGEST_CARDS_MAX", 5)
    response = suggest(fac_client, workshop, board, columns[0])
    assert response.status_code == 400
    assert "at most 5 cards" in response.context["error"]


def test_only_the_workshops_facilitators_get_in(
    workshop, board, columns, cards, alice, city
):
    data = {"action": "apply", "column": columns[0].pk, "name-1": "A"}
    data["cards-1"] = [cards[0].pk]
    anonymous = Client()
    assert anonymous.get(url(workshop, board)).status_code == 302  # to sign in
    participant = Client()
    session = participant.session
    services.session_participant_remember(session, alice)
    session.save()
    assert participant.post(url(workshop, board), data).status_code == 302
    resident = Client()
    resident.force_login(UserFactory())
    other_city = UserFactory()
    role_grant(user=other_city, city=CityFactory(), role=Role.FACILITATOR)
    stranger = Client()
    stranger.force_login(other_city)
    for client in (resident, stranger):
        assert client.get(url(workshop, board)).status_code == 403
        assert client.post(url(workshop, board), data).status_code == 403
    assert not Card.objects.exclude(group="").exists()


def test_a_closed_workshop_is_not_regrouped(
    fac_client, facilitator, workshop, board, columns, cards
):
    services.workshop_close(user=facilitator, workshop=workshop)
    response = fac_client.post(
        url(workshop, board),
        {
            "action": "apply",
            "column": columns[0].pk,
            "name-1": "A",
            "cards-1": [cards[0].pk],
        },
    )
    assert response.status_code == 400
    assert "ended" in response.context["error"]
    assert not Card.objects.exclude(group="").exists()
