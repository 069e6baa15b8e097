"""The people the refresh job counts per fixed period (`PeriodCount`, `PeriodUser`)
give every table exactly what counting the participant sets gives.

The world of conftest.py (November 2026) and its crowd, plus contributions in
August, October and December 2026 and January 2027 so that months, quarters,
years and the lifetime all differ, and people return across them. The set-counting
answers below are the metrics' earlier code, kept here as the reference."""

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from itertools import product

import pytest
from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone

from insights import metrics, segments
from insights.metrics import (
    Scope,
    participation_by,
    participation_over_time,
)
from insights.models import PeriodCount, PeriodUser
from insights.rollups import refresh
from insights.scope import scope_people
from tests.insights.conftest import HELSINKI

pytestmark = pytest.mark.django_db
FIELDS = ("age_band", "gender", "home_district", "first_language")


def _on(year: int, month: int, day: int = 15) -> datetime:
    return datetime(year, month, day, 12, tzinfo=HELSINKI)


@pytest.fixture
def spread(world, crowd):
    """Besides November: C1, C2 and U1 comment in October, C3 and a new anonymous
    actor in August, C1 again in December, a new user U4 comments and U2 opens
    an advice chat (private) in January 2027. Ages: U1, U2 and C1–C3 18–29,
    C4–C5 45–64, consenting; U3 30–44 with the consent withdrawn."""
    import uuid

    from accounts.models import BackgroundDetails, Consent
    from advice.models import Chat
    from discussions.models import Comment
    from participation.services import service_discussions_sync
    from tests.factories import UserFactory

    u1, u2, u3 = world.users
    u4 = UserFactory()
    thread = service_discussions_sync(page=world.service)[world.service.discussion_key]
    for when, fields in (
        (_on(2026, 10), {"author": crowd[0]}),
        (_on(2026, 10), {"author": crowd[1]}),
        (_on(2026, 10, 2), {"author": u1}),
        (_on(2026, 8), {"author": crowd[2]}),
        (_on(2026, 8), {"anonymous_key": uuid.uuid4(), "nickname": "B"}),
        (_on(2026, 12), {"author": crowd[0]}),
        (_on(2027, 1), {"author": u4}),
    ):
        comment = Comment.objects.create(discussion=thread, text="c", **fields)
        Comment.objects.filter(pk=comment.pk).update(created_at=when)
    chat = Chat.objects.create(
        city=world.city,
        language="fi",
        status="closed",
        resident_key_hash="h3",
        resident_user=u2,
    )
    Chat.objects.filter(pk=chat.pk).update(created_at=_on(2027, 1, 20))
    ages = [(u1, "18_29"), (u2, "18_29"), (u3, "30_44")]
    ages += [(p, "18_29") for p in crowd[:3]] + [(p, "45_64") for p in crowd[3:]]
    for person, band in ages:
        BackgroundDetails.objects.create(user=person, age_band=band, gender="female")
        for purpose in ("age_band", "gender"):
            Consent.objects.create(
                user=person,
                purpose=purpose,
                withdrawn_at=timezone.now() if person == u3 else None,
            )
    refresh(full=True)
    return u4


# The set-counting answers (the metrics' code before PeriodCount).


def _sets_over_time(scope, facet, value, periods):
    sets = scope_people(
        scope,
        granularity=scope.granularity,
        facet=facet,
        value=value,
        start__gte=periods[0],
        start__lte=periods[-1],
    )
    people = {
        (row["start"], row["channel"]): row["n"]
        for row in sets.values("start", "channel")
        .annotate(n=Count("participant", distinct=True))
        .order_by()
    }
    for row in (
        sets.values("start").annotate(n=Count("participant", distinct=True)).order_by()
    ):
        people[(row["start"], "all")] = row["n"]
    return people


def _sets_by(scope, by, span, where):
    return {
        row[by]: row["n"]
        for row in scope_people(
            scope, granularity="month", start__gte=span[0], start__lte=span[1], **where
        )
        .values(by)
        .annotate(n=Count("participant", distinct=True))
        .order_by()
    }


def _sets_described(scope, field):
    from accounts.models import Consent
    from insights.scope import scope_dates, scope_facet

    facet, value = scope_facet(scope)
    span = scope_dates(scope, facet, value)
    if span is None:
        return 0, {}
    people = scope_people(
        scope,
        granularity="month",
        facet=facet,
        value=value,
        start__gte=span[0],
        start__lte=span[1],
    )
    total = people.aggregate(n=Count("participant", distinct=True))["n"]
    path = f"user__background__{field}"
    consented = Consent.objects.filter(
        user=OuterRef("user_id"), purpose=field, withdrawn_at__isnull=True
    )
    rows = (
        people.filter(user__isnull=False, **{f"{path}__isnull": False})
        .filter(Exists(consented))
        .exclude(**{path: ""} if field != "home_district" else {})
    )
    groups = defaultdict(int)
    if field == "home_district":
        for row in (
            rows.values(segment=F(path), home_city=F(f"{path}__city_id"))
            .annotate(n=Count("participant", distinct=True))
            .order_by()
        ):
            here = row["home_city"] == scope.city.pk
            groups[str(row["segment"]) if here else segments.ELSEWHERE] += row["n"]
    else:
        for row in (
            rows.values(segment=F(path))
            .annotate(n=Count("participant", distinct=True))
            .order_by()
        ):
            groups[row["segment"]] = row["n"]
    return total, dict(groups)


PERIODS = {
    "lifetime": {},
    "2026-08": {"start": date(2026, 8, 1), "end": date(2026, 8, 31)},
    "2026-10": {"start": date(2026, 10, 1), "end": date(2026, 10, 31)},
    "2026-11": {"start": date(2026, 11, 1), "end": date(2026, 11, 30)},
    "2027-01": {"start": date(2027, 1, 1), "end": date(2027, 1, 31)},
    "2026-Q3": {"start": date(2026, 7, 1), "end": date(2026, 9, 30)},
    "2026-Q4": {"start": date(2026, 10, 1), "end": date(2026, 12, 31)},
    "2027-Q1": {"start": date(2027, 1, 1), "end": date(2027, 3, 31)},
    "2026": {"start": date(2026, 1, 1), "end": date(2026, 12, 31)},
    "2027": {"start": date(2027, 1, 1), "end": date(2027, 12, 31)},
    # No fixed period: participation_by counts the month sets itself.
    "Oct-Nov": {"start": date(2026, 10, 1), "end": date(2026, 11, 30)},
}


def _scopes(world):
    objects = [
        {},
        {"service": world.service.pk},
        {"workshop": world.workshop.pk},
        {"dream_topic": world.culture.pk},
    ]
    for obj, (name, dates), public_only in product(
        objects, PERIODS.items(), (False, True)
    ):
        yield name, Scope(world.city, public_only=public_only, **obj, **dates)


def _tables(scope, name):
    tables = [participation_over_time(scope)]
    weekly = replace(scope, granularity="week")
    tables.append(participation_over_time(weekly))
    dimensions = metrics.DIMENSIONS if scope.is_city else ("channel",)
    tables += [participation_by(scope, d) for d in dimensions]
    if name != "Oct-Nov":
        tables += [segments.segments(scope, f) for f in FIELDS]
        tables += [segments.who_is_missing(scope, f) for f in FIELDS]
    return tables


def test_every_table_equals_the_set_counting_one(spread, world, monkeypatch):
    fast = {(name, scope): _tables(scope, name) for name, scope in _scopes(world)}
    monkeypatch.setattr(metrics, "_people_over_time", _sets_over_time)
    monkeypatch.setattr(metrics, "_people_by", _sets_by)
    monkeypatch.setattr(segments, "_described", _sets_described)
    for (name, scope), tables in fast.items():
        assert tables == _tables(scope, name), (name, scope)


def test_every_count_equals_the_set_counting_one(spread, world):
    """The raw figures too, before suppression hides the small ones."""
    from insights.scope import scope_dates, scope_facet

    for name, scope in _scopes(world):
        facet, value = scope_facet(scope)
        span = scope_dates(scope, facet, value)
        if span is None:
            continue
        for granularity in ("month", "week"):
            s = replace(scope, granularity=granularity)
            periods = metrics._periods(*span, granularity)
            assert metrics._people_over_time(
                s, facet, value, periods
            ) == _sets_over_time(s, facet, value, periods)
        wheres = [("channel", {"facet": facet, "value": value})]
        if scope.is_city:
            wheres += [("value", {"facet": d}) for d in ("district", "topic")]
            wheres += [("value", {"facet": "service"})]
        for by, where in wheres:
            assert metrics._people_by(scope, by, span, where) == _sets_by(
                scope, by, span, where
            ), (name, scope, by, where)
        if name != "Oct-Nov":
            for field in FIELDS:
                assert segments._described(scope, field) == _sets_described(
                    scope, field
                ), (name, scope, field)


def _city_people(world, granularity, start):
    return (
        PeriodCount.objects.filter(
            city=world.city,
            granularity=granularity,
            start=start,
            facet="city",
            channel="",
            public_only=False,
        )
        .values_list("people", flat=True)
        .get()
    )


def test_hand_counted_periods(spread, world):
    from insights.models import LIFETIME

    # November's 12, plus the anonymous B (August) and U4 (January); October's
    # C1, C2 and U1 and December's C1 all took part in November too.
    assert _city_people(world, "lifetime", LIFETIME) == 14
    assert _city_people(world, "quarter", date(2026, 10, 1)) == 12
    assert _city_people(world, "quarter", date(2026, 7, 1)) == 2
    assert _city_people(world, "year", date(2026, 1, 1)) == 13
    assert _city_people(world, "year", date(2027, 1, 1)) == 2  # U4, U2's chat
    assert _city_people(world, "month", date(2026, 10, 1)) == 3


def test_a_lifetime_segment_reads_two_queries(spread, world, django_assert_num_queries):
    with django_assert_num_queries(2):
        table = segments.segments(Scope(world.city), "age_band")
    # 14 participants; U1, U2 and C1–C3 18–29 (5), C4–C5 45–64 (2, hidden, and
    # the 5 with them); U3 withdrew, U4, A, B and the rest unknown.
    assert table.coverage.described == 7 and table.coverage.participants == 14


def test_an_incremental_refresh_keeps_the_counts_equal(spread, world):
    from discussions.models import Comment, CommentStatus

    # U4's January comment hidden: U4 leaves January, 2027 and the lifetime.
    Comment.objects.filter(author=spread).update(
        status=CommentStatus.HIDDEN, updated_at=timezone.now()
    )
    months = refresh()
    assert date(2027, 1, 1) in months
    assert _city_people(world, "lifetime", date(1, 1, 1)) == 13
    assert _city_people(world, "year", date(2027, 1, 1)) == 1
    assert not PeriodUser.objects.filter(user=spread).exists()
    test_every_count_equals_the_set_counting_one(spread, world)


def test_refreshing_again_writes_the_same_counts(spread, world):
    def snapshot():
        return sorted(
            PeriodCount.objects.values_list(
                "granularity",
                "start",
                "facet",
                "value",
                "channel",
                "public_only",
                "people",
            )
        ), sorted(
            PeriodUser.objects.values_list(
                "granularity", "start", "facet", "value", "user_id", "public"
            )
        )

    before = snapshot()
    refresh()
    assert snapshot() == before
    refresh(full=True)
    assert snapshot() == before


def test_a_deleted_account_leaves_the_counts_with_its_sets(spread, world):
    u1 = world.users[0]  # in October and November, commenting and supporting
    u1.delete()
    assert _city_people(world, "lifetime", date(1, 1, 1)) == 13
    assert _city_people(world, "quarter", date(2026, 10, 1)) == 11
    test_every_count_equals_the_set_counting_one(spread, world)
