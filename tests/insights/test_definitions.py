"""Each definition of README "Insight: definitions" against the hand-built world
(tests/insights/conftest.py), counted straight from the sources."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from insights.sources import Channel, Kind, contributions
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db


def _all():
    return list(contributions(at(1, 0), at(30, 23)))


def test_which_contributions_count(world):
    kinds = Counter(c.kind for c in _all())
    # Hidden comment, workshop-made dream, hidden card, withdrawn feedback and
    # blocked chat are absent; the paper card is a card.
    assert kinds == {
        Kind.COMMENT: 4,
        Kind.REPLY: 1,
        Kind.SUPPORT: 1,
        Kind.OPPOSE: 1,
        Kind.DREAM: 1,
        Kind.DREAM_SUPPORT: 2,
        Kind.CARD: 3,
        Kind.FACILITATOR_CARD: 1,
        Kind.FEEDBACK: 2,
        Kind.ADVICE_CHAT: 1,
    }


def test_channels(world):
    assert Counter(c.channel for c in _all()) == {
        Channel.WEB: 10,
        Channel.WORKSHOP_ONLINE: 3,
        Channel.WORKSHOP_IN_PERSON: 1,
        Channel.FEEDBACK_FORM: 1,
        Channel.FEEDBACK_API: 1,
        Channel.ADVICE_CHAT: 1,
    }


def test_participants_are_people_as_far_as_the_platform_can_tell(world):
    rows = _all()
    people = {c.participant for c in rows if c.participant}
    u1, u2, u3 = world.users
    # U1 on the web and through the feedback form is one person; the anonymous
    # actor, the workshop name, the API sender and the chat resident are each
    # their own; the facilitator and the paper card are nobody's.
    assert len(people) == 7
    assert {p for p in people if p.startswith("u:")} == {
        f"u:{u.pk}" for u in (u1, u2, u3)
    }
    assert Counter(c.group for c in rows if c.participant) == {
        "signed_in": 10,
        "anonymous": 2,
        "workshop_name": 1,
        "feedback_sender": 1,
        "advice_resident": 1,
    }
    assert {c.participant for c in rows if c.kind == Kind.FACILITATOR_CARD} == {""}
    assert {c.participant for c in rows if c.channel == Channel.WORKSHOP_IN_PERSON} == {
        ""
    }


def test_districts_topics_and_objects(world):
    rows = _all()
    kallio = ("district", str(world.kallio.pk))
    assert sum(kallio in c.facets for c in rows) == 5 + 2 + 3 + 1
    assert sum(("topic", str(world.mobility.pk)) in c.facets for c in rows) == 7
    assert sum(("dream_topic", str(world.culture.pk)) in c.facets for c in rows) == 3
    assert sum(("workshop", str(world.workshop.pk)) in c.facets for c in rows) == 4
    service = ("service", str(world.service.translation_key))
    assert sum(service in c.facets for c in rows) == 7


def test_the_period_is_the_local_day(world):
    from discussions.models import Comment

    # 00:30 on 1 December in Helsinki is still 30 November in UTC: December.
    Comment.objects.filter(author=world.users[0], parent=None).update(
        created_at=datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
    )
    assert sum(c.kind == Kind.COMMENT for c in _all()) == 3
