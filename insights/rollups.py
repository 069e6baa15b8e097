"""Maintaining the rollups (`DailyCount`, `PeriodParticipant`) from the sources.

The unit of work is a calendar month: its days, its month and every week that
touches it are deleted and written again from the sources in one transaction, so
a reader sees a month either before or after, never half. `refresh()` redoes the
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
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from insights.models import DailyCount, PeriodParticipant, RefreshState
from insights.sources import SOURCES, Contribution, Facet, contributions

STATE = "rollups"
BATCH = 5000


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


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
                DailyCount(
                    city_id=city_id,
                    day=day,
                    facet=facet,
                    value=value,
                    channel=channel,
                    kind=kind,
                    public=public,
                    count=n,
                )
                for (
                    city_id,
                    day,
                    facet,
                    value,
                    channel,
                    kind,
                    public,
                ), n in counts.items()
            ),
            batch_size=BATCH,
        )
        PeriodParticipant.objects.bulk_create(
            (
                PeriodParticipant(
                    city_id=city_id,
                    granularity=granularity,
                    start=start,
                    facet=facet,
                    value=value,
                    channel=channel,
                    public=public,
                    participant=key,
                    group=group,
                    user_id=user_id,
                )
                for (
                    city_id,
                    granularity,
                    start,
                    facet,
                    value,
                    channel,
                    public,
                    key,
                ), (group, user_id) in people.items()
            ),
            batch_size=BATCH,
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
    done = sorted(months)
    for month in done:
        rebuild_month(month)
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
