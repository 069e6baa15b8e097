"""The people the refresh job counts per fixed period (`PeriodCount`, `PeriodUser`)
give every table exactly the people who took part.

The world of conftest.py (November 2026) and its crowd, plus contributions in
August, October and December 2026 and January 2027 so that months, quarters,
years and the lifetime all differ, and people return across them. The reference
answers are counted by hand from the contributions the sources give, not by the
metrics' code nor from the rollups."""

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import product

import pytest
from django.utils import timezone

from insights import metrics, segments
from insights.metrics import (
    Scope,
    participation_by,
    participation_over_time,
)
from insights.models import PeriodCount, PeriodParticipant, PeriodUser
from insights.rollups import refresh
from insights.scope import scope_facet
from insights.sources import Facet, contributions
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
    _reread()
    return u4


# The reference: the people counted by hand, in Python, from the contributions
# the sources give (`insights.sources.contributions`), with no rollup, count or
# query of the code under test in between.


_read: dict[str, list] = {}  # the contributions, read again after each change


def _reread() -> None:
    _read["all"] = list(contributions(_on(2000, 1), _on(2100, 1)))


def _everything():
    return _read["all"]


def _matching(scope, facet, value=None):
    """(local day, contribution, facet value) of the scope's city and audience
    under `facet` (and `value`, if given), people who can be told only."""
    for c in _everything():
        if c.city_id != scope.city.pk or not c.participant:
            continue
        if scope.public_only and not c.public:
            continue
        for f, v in ((Facet.CITY, ""), *c.facets):
            if f == facet and (value is None or v == value):
                yield timezone.localdate(c.when), c, v


def _within(scope, day):
    return scope.start is None or scope.start <= day <= scope.end


def _counted(groups):
    return {key: len(people) for key, people in groups.items()}


def _hand_over_time(scope, facet, value, periods):
    weekly = scope.granularity == "week"
    groups = defaultdict(set)
    for day, c, _v in _matching(scope, facet, value):
        period = day - timedelta(days=day.weekday()) if weekly else day.replace(day=1)
        if periods[0] <= period <= periods[-1]:
            groups[(period, c.channel)].add(c.participant)
            groups[(period, "all")].add(c.participant)
    return _counted(groups)


def _hand_by(scope, by, span, where):
    groups = defaultdict(set)
    for day, c, v in _matching(scope, where["facet"], where.get("value")):
        if span[0] <= day <= span[1]:
            groups[c.channel if by == "channel" else v].add(c.participant)
    return _counted(groups)


def _hand_described(scope, field):
    from accounts.models import BackgroundDetails, Consent

    facet, value = scope_facet(scope)
    people, users = set(), set()
    for day, c, _v in _matching(scope, facet, value):
        if _within(scope, day):
            people.add(c.participant)
            if c.user_id is not None:
                users.add(c.user_id)
    consenting = set(
        Consent.objects.filter(
            user__in=users, purpose=field, withdrawn_at__isnull=True
        ).values_list("user", flat=True)
    )
    groups = defaultdict(int)
    for details in BackgroundDetails.objects.filter(user__in=consenting):
        if field == "home_district":
            district = details.home_district
            if district is None:
                continue
            here = district.city_id == scope.city.pk
            groups[str(district.pk) if here else segments.ELSEWHERE] += 1
        elif getattr(details, field):
            groups[getattr(details, field)] += 1
    return len(people), dict(groups)


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


def test_every_table_equals_the_hand_counted_one(spread, world, monkeypatch):
    fast = {(name, scope): _tables(scope, name) for name, scope in _scopes(world)}
    monkeypatch.setattr(metrics, "_people_over_time", _hand_over_time)
    monkeypatch.setattr(metrics, "_people_by", _hand_by)
    monkeypatch.setattr(segments, "_described", _hand_described)
    for (name, scope), tables in fast.items():
        assert tables == _tables(scope, name), (name, scope)


def test_every_count_equals_the_hand_counted_one(spread, world):
    """The raw figures too, before suppression hides the small ones."""
    from insights.scope import scope_dates

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
            ) == _hand_over_time(s, facet, value, periods)
        wheres = [("channel", {"facet": facet, "value": value})]
        if scope.is_city:
            wheres += [("value", {"facet": d}) for d in ("district", "topic")]
            wheres += [("value", {"facet": "service"})]
        for by, where in wheres:
            assert metrics._people_by(scope, by, span, where) == _hand_by(
                scope, by, span, where
            ), (name, scope, by, where)
        if name != "Oct-Nov":
            for field in FIELDS:
                assert segments._described(scope, field) == _hand_described(
                    scope, field
                ), (name, scope, field)


def _all_counts():
    return {
        row[:-1]: row[-1]
        for row in PeriodCount.objects.values_list(
            "city",
            "granularity",
            "start",
            "facet",
            "value",
            "channel",
            "public_only",
            "people",
        )
    }


def _hand_counted_sets():
    """Every `PeriodCount` counted by hand from the sets as they are: weeks from
    the week sets, months, quarters, years and the lifetime from the month sets."""
    groups = defaultdict(set)
    for row in PeriodParticipant.objects.all():
        s = row.start
        if row.granularity == "week":
            periods = [("week", s)]
        else:
            quarter = date(s.year, (s.month - 1) // 3 * 3 + 1, 1)
            periods = [("month", s), ("quarter", quarter), ("year", date(s.year, 1, 1))]
            periods.append(("lifetime", date(1, 1, 1)))
        for (granularity, start), channel, public_only in product(
            periods, (row.channel, ""), (False, True)
        ):
            if row.public or not public_only:
                key = (row.city_id, granularity, start, row.facet, row.value)
                groups[(*key, channel, public_only)].add(row.participant)
    return _counted(groups)


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
    _reread()
    test_every_count_equals_the_hand_counted_one(spread, world)


def test_refreshing_again_writes_the_same_counts(spread, world):
    def snapshot():
        return _all_counts(), sorted(
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
    # The sources still hold the person's contributions (under another key) until
    # the next full rebuild: the counts agree with the sets the cascade left.
    assert _all_counts() == _hand_counted_sets()
