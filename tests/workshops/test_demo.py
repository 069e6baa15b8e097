import io

import pytest

from accounts.models import Role
from accounts.services import role_grant
from ideas.models import Dream, DreamLink, DreamStatus
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory
from workshops import demo
from workshops.models import BoardEvent, Card, Workshop

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent(city, other_city):
    facilitator = UserFactory()
    for c in (city, other_city):
        role_grant(user=facilitator, city=c, role=Role.FACILITATOR)
    # The dream the ideas demo would add, for the upcoming panel's board.
    waiting = DreamFactory(city=other_city, title=demo.PANEL_DREAM_TITLE)
    kwargs = {
        "cities": {"helsinki": city, "turku": other_city},
        "city_pages": {},
        "users": {"facilitator": facilitator},
        "stdout": io.StringIO(),
    }
    demo.load(**kwargs)
    counts = (
        Workshop.objects.count(),
        Card.objects.count(),
        BoardEvent.objects.count(),
        Dream.objects.count(),
        DreamLink.objects.count(),
    )
    demo.load(**kwargs)
    assert (
        Workshop.objects.count(),
        Card.objects.count(),
        BoardEvent.objects.count(),
        Dream.objects.count(),
        DreamLink.objects.count(),
    ) == counts
    jam = Workshop.objects.get(join_code=demo.FINISHED_CODE)
    assert jam.is_closed and jam.results_published
    assert Card.objects.filter(board__workshop=jam).count() == 11
    upcoming = Workshop.objects.get(join_code=demo.UPCOMING_CODE)
    assert not upcoming.is_closed and upcoming.starts_at > jam.starts_at
    # A jam card became a dream that links back to the jam.
    dreamt = Card.objects.get(board__workshop=jam, became_dream__isnull=False)
    assert dreamt.text == demo.JAM_DREAM_CARD
    assert DreamLink.objects.filter(
        dream=dreamt.became_dream, workshop_id=jam.pk
    ).exists()
    # A dream waits on the upcoming panel's board as a card.
    placed = Card.objects.get(board__workshop=upcoming, from_dream__isnull=False)
    assert placed.from_dream == waiting
    waiting.refresh_from_db()
    assert waiting.status == DreamStatus.IN_WORKSHOP
