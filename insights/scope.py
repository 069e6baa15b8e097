"""`Scope`: what a table of insight covers, and the fixed combinations allowed.

A scope is a city, or one planned service, workshop or dream topic of it, over
whole calendar months (`start` the first day of a month, `end` the last) or the
whole lifetime (no dates); `segment_period` narrows segments further. Fixed
combinations only, so that nobody differences two tables into a small group.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, Max, Min, OuterRef, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Consent
from core.errors import Invalid
from core.models import City
from insights.models import (
    LIFETIME,
    DailyCount,
    PeriodCount,
    PeriodParticipant,
    PeriodUser,
)
from insights.rollups import month_start, next_month
from insights.sources import Facet

GRANULARITIES = ("week", "month")


@dataclass(frozen=True)
class Scope:
    """What a table covers: a city, or one object of it, over fixed dates.

    `service` is a planned service page id (any language version), `workshop` a
    workshop id, `dream_topic` a topic id (the dreams on that topic, their
    supports and comments); at most one. `start`/`end` whole calendar months, or
    both None for the whole lifetime."""

    city: City
    service: int | None = None
    workshop: int | None = None
    dream_topic: int | None = None
    start: date | None = None
    end: date | None = None
    granularity: str = "month"
    public_only: bool = False

    def __post_init__(self) -> None:
        if (
            sum(x is not None for x in (self.service, self.workshop, self.dream_topic))
            > 1
        ):
            raise Invalid(_("Choose one planned service, workshop or dream topic."))
        if self.granularity not in GRANULARITIES:
            raise Invalid(_("Choose weeks or months."), field="granularity")
        if (self.start is None) != (self.end is None):
            raise Invalid(_("Give both the first and the last month."))
        if self.start is not None and not (
            self.start.day == 1
            and next_month(self.end) - timedelta(days=1) == self.end
            and self.start <= self.end
        ):
            raise Invalid(_("Choose whole calendar months, the first before the last."))

    @property
    def is_city(self) -> bool:
        return (
            self.service is None and self.workshop is None and self.dream_topic is None
        )


def scope_facet(scope: Scope) -> tuple[str, str]:
    if scope.service is not None:
        from participation.models import PlannedServicePage

        key = (
            PlannedServicePage.objects.filter(pk=scope.service, city=scope.city)
            .values_list("translation_key", flat=True)
            .first()
        )
        if key is None:
            raise Invalid(_("No such planned service in this city."))
        return Facet.SERVICE, str(key)
    if scope.workshop is not None:
        return Facet.WORKSHOP, str(scope.workshop)
    if scope.dream_topic is not None:
        return Facet.DREAM_TOPIC, str(scope.dream_topic)
    return Facet.CITY, ""


def scope_dates(scope: Scope, facet: str, value: str) -> tuple[date, date] | None:
    """The scope's first and last day; its lifetime in whole months if open."""
    if scope.start is not None:
        return scope.start, scope.end
    span = DailyCount.objects.filter(
        city=scope.city, facet=facet, value=value
    ).aggregate(lo=Min("day"), hi=Max("day"))
    if span["lo"] is None:
        return None
    return month_start(span["lo"]), next_month(span["hi"]) - timedelta(days=1)


def scope_counts(scope: Scope, **filters) -> QuerySet:
    qs = DailyCount.objects.filter(city=scope.city, **filters)
    return qs.filter(public=True) if scope.public_only else qs


def scope_people(scope: Scope, **filters) -> QuerySet:
    qs = PeriodParticipant.objects.filter(city=scope.city, **filters)
    return qs.filter(public=True) if scope.public_only else qs


def scope_period(scope: Scope) -> tuple[str, date] | None:
    """(granularity, start) of the fixed period the scope's dates are — one
    calendar month, quarter or year, or the lifetime (`LIFETIME`) — else None.
    The people of a fixed period are counted by the refresh job (`PeriodCount`)."""
    if scope.start is None:
        return "lifetime", LIFETIME
    months = (
        (scope.end.year - scope.start.year) * 12
        + scope.end.month
        - scope.start.month
        + 1
    )
    if months == 1:
        return "month", scope.start
    if months == 3 and scope.start.month in (1, 4, 7, 10):
        return "quarter", scope.start
    if months == 12 and scope.start.month == 1:
        return "year", scope.start
    return None


def scope_people_counts(scope: Scope, **filters) -> QuerySet:
    """The counted people (`PeriodCount`) of the scope's city and audience."""
    return PeriodCount.objects.filter(
        city=scope.city, public_only=scope.public_only, **filters
    )


def scope_users(scope: Scope, **filters) -> QuerySet:
    """The signed-in participants (`PeriodUser`) of the scope's city and audience."""
    qs = PeriodUser.objects.filter(city=scope.city, **filters)
    return qs.filter(public=True) if scope.public_only else qs


def users_described(users: QuerySet, field: str) -> QuerySet:
    """Those of `users` (`PeriodUser` rows) who gave `field` of their background
    and keep their consent to it: the only ones a segment may count (a withdrawn
    consent leaves every table made after it)."""
    path = f"user__background__{field}"
    consented = Consent.objects.filter(
        user=OuterRef("user_id"), purpose=field, withdrawn_at__isnull=True
    )
    rows = users.filter(Exists(consented), **{f"{path}__isnull": False})
    # A choice not given is "" (a district is NULL instead).
    return rows if field == "home_district" else rows.exclude(**{path: ""})


def segment_period(scope: Scope) -> tuple[str, date]:
    """Segments only for one calendar month, quarter or year, or the lifetime:
    (granularity, start) of it."""
    period = scope_period(scope)
    if period is None:
        raise Invalid(
            _(
                "Background figures are shown for a month, a quarter, a year "
                "or the whole time."
            )
        )
    return period
