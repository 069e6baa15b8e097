"""Insight's own data: rollups of the counts it reads from other apps, and the
themes (`insights/themes/models.py`, imported here).

Nothing here is a source of truth: `manage.py refresh_insights` rebuilds these
tables from the apps' rows (`insights/sources.py`), month by month, and
`--full` rebuilds them all. The metrics (`insights/metrics.py`) read only these:
counts of people from `PeriodCount`, and the sets of `PeriodParticipant` only
for a span that is no fixed period.
"""

from datetime import date

from django.conf import settings
from django.db import models

from core.models import City


class DailyCount(models.Model):
    """How many contributions of one kind, through one channel, on one local day,
    under one facet (the city itself, a planned service, a workshop, a dream
    topic, a district or a topic). Counts add up over days; a contribution with
    two topics is in both topics' rows, and once in the city's."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=24)
    kind = models.CharField(max_length=24)
    public = models.BooleanField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["city", "facet", "value", "day", "channel", "kind", "public"],
                name="insights_daily_count_unique",
            )
        ]
        indexes = [models.Index(fields=["day"], name="insights_daily_day")]


class PeriodParticipant(models.Model):
    """One participant under one facet and channel in one week or month.

    Distinct people cannot be added up from daily figures (one person on two
    days is one person), so each fixed period keeps its own set, of keys
    pseudonymised with `PSEUDONYM_KEY` (`participant`). `user` is kept only to
    count the voluntary background under its consent (segments); it is never
    shown or exported, and deleting the account deletes the row."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    granularity = models.CharField(max_length=8)  # "week" | "month"
    start = models.DateField()
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=24)
    public = models.BooleanField()
    participant = models.CharField(max_length=16)
    group = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "city",
                    "granularity",
                    "facet",
                    "value",
                    "start",
                    "channel",
                    "public",
                    "participant",
                ],
                name="insights_period_participant_unique",
            )
        ]
        indexes = [
            models.Index(fields=["granularity", "start"], name="insights_period_start")
        ]


LIFETIME = date(1, 1, 1)  # `start` of the lifetime's rows: one period, no dates


class PeriodCount(models.Model):
    """How many different people took part under one facet in one fixed period:
    a week, a month, a calendar quarter or year, or the whole lifetime (`start`
    `LIFETIME`), per channel and over all channels together (`channel` "").

    Counted by the refresh job from `PeriodParticipant`'s sets (weeks from the
    week sets, the rest from the month sets), so that a table reads a count
    instead of counting a set; it holds exactly what counting the set gives.
    `public_only` rows count only people with a public contribution (the public
    reports and open data). A period nobody took part in has no row (0)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    granularity = models.CharField(max_length=8)  # week|month|quarter|year|lifetime
    start = models.DateField()
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=24, blank=True)
    public_only = models.BooleanField()
    people = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "city",
                    "granularity",
                    "facet",
                    "value",
                    "public_only",
                    "start",
                    "channel",
                ],
                name="insights_period_count_unique",
            )
        ]


class PeriodUser(models.Model):
    """One signed-in participant under one scope's facet (the city, a service, a
    workshop, a dream topic) in one month, quarter, year or the lifetime.

    The segments count these against the background and its consent when a table
    is made (a withdrawn consent leaves every later table), so they are kept as
    a set, but a small one: one row per person and period, not per channel.
    `public`: the person has a public contribution in the period. Deleting the
    account deletes the rows."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    granularity = models.CharField(max_length=8)  # month|quarter|year|lifetime
    start = models.DateField()
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    public = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["city", "granularity", "facet", "value", "start", "user"],
                name="insights_period_user_unique",
            )
        ]


class RefreshState(models.Model):
    """How far the rollups are: rows changed after `watermark` are not in them
    yet. `refreshed_at` keys the dashboards' cache."""

    name = models.CharField(max_length=40, unique=True)
    watermark = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)


# Themes live in their subpackage; Django finds models through this module.
from insights.themes.models import Scope, Source, Theme, ThemeMember  # noqa: E402

__all__ = [
    "LIFETIME",
    "DailyCount",
    "PeriodCount",
    "PeriodParticipant",
    "PeriodUser",
    "RefreshState",
    "Scope",
    "Source",
    "Theme",
    "ThemeMember",
]
