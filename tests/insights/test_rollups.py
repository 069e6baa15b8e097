"""The rollups hold exactly what counting the sources directly gives, and stay so
as rows change (`manage.py refresh_insights`)."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from core.jobs import registered_jobs
from insights.models import DailyCount, PeriodParticipant
from insights.rollups import refresh
from insights.sources import Kind, contributions
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)


def _rollup_kinds(city) -> Counter:
    rows = (
        DailyCount.objects.filter(city=city, facet="city")
        .values("kind")
        .annotate(n=Sum("count"))
    )
    return Counter({row["kind"]: row["n"] for row in rows})


def _people(city, facet="city", value="", **filters) -> int:
    return (
        PeriodParticipant.objects.filter(
            city=city,
            granularity="month",
            start=NOVEMBER,
            facet=facet,
            value=value,
            **filters,
        )
        .values("participant")
        .distinct()
        .count()
    )


def test_rollup_counts_equal_direct_counts(world):
    call_command("refresh_insights", "--full", verbosity=0)
    direct = Counter(c.kind for c in contributions(at(1, 0), at(30, 23)))
    assert _rollup_kinds(world.city) == direct
    assert sum(direct.values()) == 17
    # Distinct people in November: U1, U2, U3, the anonymous actor, the name
    # "Nimi", the API sender and the chat resident.
    assert _people(world.city) == 7
    assert _people(world.city, channel="web") == 4
    assert _people(world.city, channel="workshop_online") == 2
    assert _people(world.city, channel="workshop_in_person") == 0
    assert _people(world.city, "district", str(world.kallio.pk)) == 4
    assert _people(world.city, "dream_topic", str(world.culture.pk)) == 3
    assert _people(world.city, "workshop", str(world.workshop.pk)) == 2


def test_weeks_hold_their_own_people(world):
    refresh(full=True)
    weeks = dict(
        PeriodParticipant.objects.filter(granularity="week", facet="city")
        .values_list("start")
        .annotate(n=Count("participant", distinct=True))
    )
    # 2–8 Nov: U1 (comments, support, dream support), U3 (oppose), U2 (dream),
    # A (dream support); 9–15: U2, A, U3 (card), Nimi; 16–22: U2, U1, the API
    # sender; 23–29: the chat resident.
    assert weeks == {
        date(2026, 11, 2): 4,
        date(2026, 11, 9): 4,
        date(2026, 11, 16): 3,
        date(2026, 11, 23): 1,
    }


def test_no_raw_identifiers_in_the_participant_sets(world):
    refresh(full=True)
    keys = set(PeriodParticipant.objects.values_list("participant", flat=True))
    assert all(len(k) == 16 and ":" not in k for k in keys)
    for user in world.users:
        assert str(user.pk) not in keys and f"u:{user.pk}" not in keys


def test_a_change_is_picked_up_by_the_next_refresh(world):
    from discussions.models import Comment, CommentStatus

    refresh(full=True)
    u2 = world.users[1]
    Comment.objects.filter(author=u2, parent=None, created_at=at(10)).update(
        status=CommentStatus.HIDDEN, updated_at=timezone.now()
    )
    months = refresh()
    assert NOVEMBER in months
    assert _rollup_kinds(world.city)[Kind.COMMENT] == 3
    # U2 still took part (the section comment, the dream).
    assert _people(world.city) == 7


def test_refreshing_twice_changes_nothing(world):
    refresh(full=True)
    before = sorted(DailyCount.objects.values_list("day", "facet", "kind", "count"))
    people = PeriodParticipant.objects.count()
    refresh()
    refresh(full=True)
    after = sorted(DailyCount.objects.values_list("day", "facet", "kind", "count"))
    assert after == before
    assert PeriodParticipant.objects.count() == people


def test_the_job_is_registered():
    jobs = registered_jobs()
    assert jobs["refresh_insights"].command == "refresh_insights"
    assert jobs["refresh_insights_full"].args == ("--full",)
