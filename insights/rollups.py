"""Maintaining the rollups (`DailyCount`, `PeriodParticipant`, `PeriodCount`,
`PeriodUser`) from the sources.

The unit of work is a calendar month: its days, its month and every week that
touches it are deleted and written again from the sources in one transaction, so
a reader sees a month either before or after, never half. The people of those
weeks and that month are counted from their sets in the same transaction; the
quarters and years holding the rebuilt months and the lifetime are counted from
the month sets when all months are done, in one more transaction (until then a
reader gets the previous run's counts for them). `refresh()` redoes the
months holding rows changed since the last run (by `updated_at`; the current
month always, which catches a support withdrawn this month), `refresh(full=True)`
every month there is. Rows deleted outright (a withdrawn support, a deleted
account's rows) or made private without a change of their own (a planned service
unpublished, a workshop's results withdrawn) leave older months until the daily
full rebuild.
"""

from __future__ import annotations

import hmac
from base64 import b32encode
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from itertools import product

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, QuerySet, Value
from django.db.models.functions import TruncQuarter, TruncYear
from django.utils import timezone

from insights.models import (
    LIFETIME,
    DailyCount,
    PeriodCount,
    PeriodParticipant,
    PeriodUser,
    RefreshState,
)
from insights.sources import SOURCES, Contribution, Facet, contributions

STATE = "rollups"
BATCH = 5000
LONG_PERIODS = ("quarter", "year", "lifetime")
# The rows' keys, in the order the tuples below hold them (one place for each).
DAILY_FIELDS = ("city_id", "day", "facet", "value", "channel", "kind", "public")
SET_FIELDS = ("city_id", "granularity", "start", "facet", "value", "channel")
SET_FIELDS += ("public", "participant")
COUNT_FIELDS = ("city_id", "granularity", "start", "facet", "value", "channel")
COUNT_FIELDS += ("public_only", "people")
USER_FIELDS = ("city_id", "granularity", "start", "facet", "value", "user_id")
USER_FIELDS += ("public",)
# The facets a scope can have: the only ones segments (PeriodUser) are read for.
SCOPE_FACETS = (Facet.CITY, Facet.SERVICE, Facet.WORKSHOP, Facet.DREAM_TOPIC)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_start(granularity: str, day: date) -> date:
    """The first day of the fixed period holding `day` (`LIFETIME` for it)."""
    if granularity == "week":
        return week_start(day)
    if granularity == "month":
        return month_start(day)
    if granularity == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if granularity == "year":
        return date(day.year, 1, 1)
    return LIFETIME


def period_end(granularity: str, start: date) -> date:
    """The first day after the fixed period starting on `start`."""
    if granularity == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[granularity]
    for _month in range(months):
        start = next_month(start)
    return start


def _period_of_set(granularity: str):
    """The expression giving a set row's period of `granularity` (week and month
    sets are their own periods; longer ones are unions of month sets)."""
    if granularity in ("week", "month"):
        return F("start")
    if granularity == "quarter":
        return TruncQuarter("start", output_field=DateField())
    if granularity == "year":
        return TruncYear("start", output_field=DateField())
    return Value(LIFETIME, output_field=DateField())


def count_people(
    granularity: str, sets: QuerySet
) -> tuple[list[PeriodCount], list[PeriodUser]]:
    """The `PeriodCount`s (and for a month or longer the `PeriodUser`s) of the
    periods of `granularity` that `sets` (PeriodParticipant rows: week sets for
    weeks, month sets otherwise) make up, by counting the sets' distinct
    participants (unsaved: `write_people` stores them).

    This is the one place where people are counted from the sets for the
    tables; metrics count the sets themselves only for spans that are no fixed
    period. One query: the database folds the months into one row per period,
    place, channel and person (whether any of it was public), and the people
    are counted here (COUNT(DISTINCT) per group is several times slower)."""
    if connection.vendor == "postgresql":
        # Fold in memory (a hash of ~20 MB at a million comments) rather than
        # sort on disk under the default 4 MB: 2.6 s → 0.4 s for the lifetime.
        # LOCAL: for this transaction only (the callers hold one).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
    rows = (
        sets.annotate(period=_period_of_set(granularity))
        .values_list(
            "period", "city", "facet", "value", "channel", "participant", "user"
        )
        .annotate(n_public=Count("pk", filter=Q(public=True)))
        .order_by()
    )
    # Keys in COUNT_FIELDS' and USER_FIELDS' order, without their last field.
    people: dict[tuple, set[str]] = defaultdict(set)
    users: dict[tuple, bool] = {}
    # Not .iterator(): a server-side cursor is planned to sort, 3× slower.
    for period, city, facet, value, channel, participant, user, n_public in rows:
        public = n_public > 0
        place = (city, granularity, period, facet, value)
        # Per channel, and over all channels (a person on two channels is one).
        for any_channel in (channel, ""):
            people[(*place, any_channel, False)].add(participant)
            if public:
                people[(*place, any_channel, True)].add(participant)
        if user is not None and granularity != "week" and facet in SCOPE_FACETS:
            users[(*place, user)] = users.get((*place, user), False) or public
    counts = [
        PeriodCount(**dict(zip(COUNT_FIELDS, (*key, len(ones)), strict=True)))
        for key, ones in people.items()
    ]
    sets_users = [
        PeriodUser(**dict(zip(USER_FIELDS, (*key, public), strict=True)))
        for key, public in users.items()
    ]
    return counts, sets_users


def _replace(old: QuerySet, new: list, fields: tuple[str, ...]) -> None:
    """Make the rows of `old` exactly `new`, deleting and inserting only those
    that differ: a refresh mostly finds the long periods' people unchanged, and
    rewriting tens of thousands of rows would cost seconds each time."""
    existing = {row[1:]: row[0] for row in old.values_list("pk", *fields)}
    wanted = {tuple(getattr(obj, f) for f in fields): obj for obj in new}
    gone = [pk for key, pk in existing.items() if key not in wanted]
    for offset in range(0, len(gone), BATCH):
        old.model.objects.filter(pk__in=gone[offset : offset + BATCH]).delete()
    old.model.objects.bulk_create(
        [obj for key, obj in wanted.items() if key not in existing],
        batch_size=BATCH,
    )


def write_people(
    granularity: str, sets: QuerySet, counts: QuerySet, users: QuerySet
) -> None:
    """Count the people of `sets` (`count_people`) and make `counts` and `users`
    (the same periods' `PeriodCount`s and `PeriodUser`s) hold exactly that."""
    new_counts, new_users = count_people(granularity, sets)
    _replace(counts, new_counts, COUNT_FIELDS)
    _replace(users, new_users, USER_FIELDS)


def count_long_periods(months: Iterable[date] | None) -> None:
    """Count the people of the quarters and years holding `months` (every one if
    None) and of the lifetime again from the month sets, in one transaction."""
    month_sets = PeriodParticipant.objects.filter(granularity="month")
    with transaction.atomic():
        for granularity in LONG_PERIODS:
            counts = PeriodCount.objects.filter(granularity=granularity)
            users = PeriodUser.objects.filter(granularity=granularity)
            sets = month_sets
            if months is not None and granularity != "lifetime":
                starts = sorted({period_start(granularity, m) for m in months})
                counts = counts.filter(start__in=starts)
                users = users.filter(start__in=starts)
                within = Q()
                for start in starts:
                    within |= Q(
                        start__gte=start, start__lt=period_end(granularity, start)
                    )
                sets = month_sets.filter(within)
            write_people(granularity, sets, counts, users)


def forget_user(user_id: int) -> None:
    """Take a person whose account is being deleted out of the counted people
    at once, as the cascade takes their rows out of the sets: every count their
    rows are in loses one. Called before the rows go (`pre_delete`, apps.py);
    the person's contributions themselves leave at the next full rebuild."""
    keys: set[tuple] = set()  # in COUNT_FIELDS' order, without `people`
    for row in PeriodParticipant.objects.filter(user_id=user_id).values(
        *SET_FIELDS[:-1]
    ):
        week = row["granularity"] == "week"
        periods = ["week"] if week else ["month", *LONG_PERIODS]
        audiences = (False, True) if row["public"] else (False,)
        for period, channel, audience in product(
            periods, (row["channel"], ""), audiences
        ):
            start = period_start(period, row["start"])
            place = (row["city_id"], period, start, row["facet"], row["value"])
            keys.add((*place, channel, audience))
    ordered = sorted(keys)
    for offset in range(0, len(ordered), 100):  # short statements, even on SQLite
        match = Q()
        for key in ordered[offset : offset + 100]:
            match |= Q(**dict(zip(COUNT_FIELDS[:-1], key, strict=True)))
        counted = PeriodCount.objects.filter(match)
        counted.filter(people__lte=1).delete()  # nobody left: no row, as written
        counted.update(people=F("people") - 1)


def pseudonym(participant: str) -> str:
    """16 base32 characters of HMAC-SHA256(PSEUDONYM_KEY, "insights:" + key)."""
    digest = hmac.digest(
        settings.PSEUDONYM_KEY.encode(), f"insights:{participant}".encode(), "sha256"
    )
    return b32encode(digest).decode()[:16].lower()


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _facets(c: Contribution) -> Iterable[tuple[str, str]]:
    yield (Facet.CITY, "")
    yield from c.facets


def rebuild_month(month: date) -> tuple[int, int]:
    """Write `month` again from the sources; (daily rows, participant rows)."""
    first, following = month_start(month), next_month(month)
    lo, hi = (
        week_start(first),
        week_start(following - timedelta(days=1)) + timedelta(days=7),
    )
    counts: Counter = Counter()
    people: dict[tuple, tuple[str, int | None]] = {}
    for c in contributions(_aware(lo), _aware(hi)):
        day = timezone.localdate(c.when)
        key = pseudonym(c.participant) if c.participant else ""
        for facet, value in _facets(c):
            counts[(c.city_id, day, facet, value, c.channel, c.kind, c.public)] += 1
            if not key:
                continue
            periods = [("week", week_start(day))]
            if first <= day < following:
                periods.append(("month", first))
            for granularity, start in periods:
                people[
                    (
                        c.city_id,
                        granularity,
                        start,
                        facet,
                        value,
                        c.channel,
                        c.public,
                        key,
                    )
                ] = (c.group, c.user_id)
    with transaction.atomic():
        DailyCount.objects.filter(day__gte=lo, day__lt=hi).delete()
        PeriodParticipant.objects.filter(
            granularity="week", start__gte=lo, start__lt=hi
        ).delete()
        PeriodParticipant.objects.filter(granularity="month", start=first).delete()
        DailyCount.objects.bulk_create(
            (
                DailyCount(**dict(zip(DAILY_FIELDS, key, strict=True)), count=n)
                for key, n in counts.items()
            ),
            batch_size=BATCH,
        )
        PeriodParticipant.objects.bulk_create(
            (
                PeriodParticipant(
                    **dict(zip(SET_FIELDS, key, strict=True)),
                    group=group,
                    user_id=user_id,
                )
                for key, (group, user_id) in people.items()
            ),
            batch_size=BATCH,
        )
        sets = PeriodParticipant.objects.all()
        weeks = {"granularity": "week", "start__gte": lo, "start__lt": hi}
        write_people(
            "week",
            sets.filter(**weeks),
            PeriodCount.objects.filter(**weeks),
            PeriodUser.objects.none(),
        )
        month = {"granularity": "month", "start": first}
        write_people(
            "month",
            sets.filter(**month),
            PeriodCount.objects.filter(**month),
            PeriodUser.objects.filter(**month),
        )
    return len(counts), len(people)


def refresh(*, full: bool = False) -> list[date]:
    """Bring the rollups up to date; the months rebuilt, oldest first."""
    started = timezone.now()
    state, _ = RefreshState.objects.get_or_create(name=STATE)
    since = None if full or state.watermark is None else state.watermark
    months: set[date] = {month_start(timezone.localdate(started))}
    for source in SOURCES:
        months |= {month_start(m) for m in source.changed_months(since)}
    if since is None:
        # Every month from the first to this one, empty ones too (which clears
        # what they held), and nothing outside them: never a moment with no rows.
        month = min(months)
        while month < max(months):
            month = next_month(month)
            months.add(month)
        lo = week_start(min(months))
        with transaction.atomic():
            DailyCount.objects.exclude(day__gte=lo).delete()
            PeriodParticipant.objects.exclude(start__gte=lo).delete()
            # The longer periods' counts are replaced whole at the end.
            PeriodCount.objects.filter(granularity__in=("week", "month")).exclude(
                start__gte=lo
            ).delete()
            PeriodUser.objects.filter(granularity="month").exclude(
                start__gte=lo
            ).delete()
    done = sorted(months)
    for month in done:
        rebuild_month(month)
    count_long_periods(None if since is None else done)
    RefreshState.objects.filter(pk=state.pk).update(
        watermark=started, refreshed_at=timezone.now()
    )
    return done


def refreshed_at() -> datetime | None:
    """When the rollups were last brought up to date (None: never)."""
    return (
        RefreshState.objects.filter(name=STATE)
        .values_list("refreshed_at", flat=True)
        .first()
    )
