"""The figures of insight, as `Table`s (insights/tables.py), read from the rollups.

Every function takes a `Scope` and returns suppressed tables in a fixed number of
queries (tests/insights/test_metrics.py asserts them):

- `participation_over_time(scope)`: one row per week or month, columns
  `<channel>.contributions` and `<channel>.participants` for each channel and
  `all` (2 queries).
- `participation_by(scope, dimension)`: rows per district, topic, planned
  service or channel; columns `contributions`, `participants` (3; channel 2).
- `responsiveness(scope)`: the time to the city's answer on planned services;
  for a city also feedback handling times by status and advice waiting times
  (1–3 tables, 1 query each).
- `segments(scope, field)` and `who_is_missing(scope, field)`: the voluntary
  background (2–4 queries).

A service scope resolves its page in one more query, a scope without dates finds
its lifetime in one more.

People are never added up (one person in two months is one): they are read as
counts the refresh job made from the sets (`PeriodCount`) for every week and
month and for each calendar quarter and year and the lifetime; only a span of
several months that is none of these counts the month sets here.

Fixed filter combinations (so that no one differences two tables into a small
group): a scope is a city, or one planned service, workshop or dream topic of it,
over whole calendar months (`start` the first day of a month, `end` the last),
or the whole lifetime (no dates). Segments and "who is missing" accept only one
calendar month, quarter or year, or the lifetime. `public_only` counts only what
anyone may see (the public reports).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.errors import Invalid
from core.models import District, Topic
from insights.responsiveness import responsiveness
from insights.rollups import month_start, next_month, week_start
from insights.scope import (
    GRANULARITIES,
    Scope,
    scope_counts,
    scope_dates,
    scope_facet,
    scope_people,
    scope_people_counts,
    scope_period,
)
from insights.segments import SEGMENT_FIELDS, segments, who_is_missing
from insights.sources import CHANNEL_LABELS, CHANNELS, Channel
from insights.suppression import suppress_table
from insights.tables import Cell, Table

__all__ = [
    "DIMENSIONS",
    "GRANULARITIES",
    "SEGMENT_FIELDS",
    "Scope",
    "participation_by",
    "participation_over_time",
    "responsiveness",
    "segments",
    "who_is_missing",
]
DIMENSIONS = ("district", "topic", "service", "channel")


def _periods(start: date, end: date, granularity: str) -> list[date]:
    out, period = [], week_start(start) if granularity == "week" else start
    while period <= end:
        out.append(period)
        period = (
            period + timedelta(days=7) if granularity == "week" else next_month(period)
        )
    return out


def _period_label(period: date, granularity: str) -> str:
    if granularity == "week":
        year, week, _day = period.isocalendar()
        return _("week %(week)s/%(year)s") % {"week": week, "year": year}
    return f"{period.month}/{period.year}"


def _empty(key: str, title: str, heading: str, columns: dict[str, str]) -> Table:
    return Table(
        key=key,
        title=title,
        row_heading=heading,
        row_keys=[],
        row_labels=[],
        column_keys=list(columns),
        column_labels=list(columns.values()),
        cells=[],
        notes=[_("Nothing yet in this period.")],
    )


def _over_time_columns() -> dict[str, str]:
    columns = {}
    for channel in [*CHANNELS, "all"]:
        name = CHANNEL_LABELS[channel] if channel != "all" else _("All channels")
        columns[f"{channel}.contributions"] = _("%(channel)s: contributions") % {
            "channel": name
        }
        columns[f"{channel}.participants"] = _("%(channel)s: participants") % {
            "channel": name
        }
    return columns


def _people_over_time(
    scope: Scope, facet: str, value: str, periods: list[date]
) -> dict[tuple[date, str], int]:
    """(period, channel or "all") → different people, as the refresh job counted
    them for each week or month (1 query)."""
    return {
        (start, channel or "all"): n
        for start, channel, n in scope_people_counts(
            scope,
            granularity=scope.granularity,
            facet=facet,
            value=value,
            start__gte=periods[0],
            start__lte=periods[-1],
        ).values_list("start", "channel", "people")
    }


def participation_over_time(scope: Scope) -> Table:
    """Contributions and participants per period and channel."""
    facet, value = scope_facet(scope)
    columns = _over_time_columns()
    title = _("Participation over time")
    heading = _("Week") if scope.granularity == "week" else _("Month")
    span = scope_dates(scope, facet, value)
    if span is None:
        return _empty("participation_over_time", title, heading, columns)
    periods = _periods(*span, scope.granularity)
    weekly = scope.granularity == "week"
    last = periods[-1] + timedelta(days=6) if weekly else span[1]
    contributions: dict[tuple, int] = defaultdict(int)
    for row in (
        scope_counts(
            scope, facet=facet, value=value, day__gte=periods[0], day__lte=last
        )
        .values("day", "channel")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        period = week_start(row["day"]) if weekly else month_start(row["day"])
        contributions[(period, row["channel"])] += row["n"]
        contributions[(period, "all")] += row["n"]
    people = _people_over_time(scope, facet, value, periods)
    cells = []
    for period in periods:
        row = []
        for channel in [*CHANNELS, "all"]:
            row.append(Cell(contributions.get((period, channel), 0)))
            # Paper cards have no participant the platform can tell.
            unknown = channel == Channel.WORKSHOP_IN_PERSON
            row.append(Cell(None if unknown else people.get((period, channel), 0)))
        cells.append(row)
    table = Table(
        key="participation_over_time",
        title=title,
        row_heading=heading,
        row_keys=[p.isoformat() for p in periods],
        row_labels=[_period_label(p, scope.granularity) for p in periods],
        column_keys=list(columns),
        column_labels=list(columns.values()),
        cells=cells,
        unit=_("contributions and people"),
        summary=_(
            "%(contributions)s contributions from %(first)s to %(last)s, by channel."
        )
        % {
            "contributions": sum(contributions[(p, "all")] for p in periods),
            "first": _period_label(periods[0], scope.granularity),
            "last": _period_label(periods[-1], scope.granularity),
        },
        notes=[
            _(
                "Participants are different people in each period; they do not "
                "add up over periods or channels. Paper cards have no known "
                "participants."
            )
        ],
    )
    return suppress_table(
        table, columns=[c for c in columns if c.endswith(".participants")]
    )


def _dimension_rows(scope: Scope, dimension: str) -> list[tuple[str, str]]:
    """(key, label) of every row of a dimension, in reading order (1 query)."""
    if dimension == "channel":
        return [(c, str(CHANNEL_LABELS[c])) for c in CHANNELS]
    if dimension == "district":
        rows = [(str(d.pk), d.name) for d in District.objects.filter(city=scope.city)]
    elif dimension == "topic":
        rows = [(str(t.pk), t.name) for t in Topic.objects.all()]
    else:
        from participation.models import PlannedServicePage

        language = translation.get_language() or "fi"
        titles: dict[str, str] = {}
        for key, title, code in PlannedServicePage.objects.filter(
            city=scope.city
        ).values_list("translation_key", "title", "locale__language_code"):
            if str(key) not in titles or code == language:
                titles[str(key)] = title
        rows = list(titles.items())
    return sorted(rows, key=lambda row: row[1].casefold())


def _people_by(
    scope: Scope, by: str, span: tuple[date, date], where: dict[str, str]
) -> dict[str, int]:
    """Different people over the scope's span per `by` (channel or value), 1 query:
    counted by the refresh job for a fixed period, else from the month sets."""
    period = scope_period(scope)
    if period is not None:
        granularity, start = period
        counts = scope_people_counts(
            scope, granularity=granularity, start=start, **where
        )
        if by == "channel":
            counts = counts.exclude(channel="")
        else:
            counts = counts.filter(channel="")
        return dict(counts.values_list(by, "people"))
    return {
        row[by]: row["n"]
        for row in scope_people(
            scope,
            granularity="month",
            start__gte=span[0],
            start__lte=span[1],
            **where,
        )
        .values(by)
        .annotate(n=Count("participant", distinct=True))
        .order_by()
    }


DIMENSION_HEADINGS = {
    "district": lambda: _("District"),
    "topic": lambda: _("Topic"),
    "service": lambda: _("Planned service"),
    "channel": lambda: pgettext("insight", "Channel"),
}


def participation_by(scope: Scope, dimension: str) -> Table:
    """Contributions and participants over the whole scope, per `dimension`.

    An object's scope (a service, workshop or dream topic) is broken down by
    channel only: its districts and topics are its own."""
    if dimension not in DIMENSIONS:
        raise Invalid(_("Choose district, topic, planned service or channel."))
    if not scope.is_city and dimension != "channel":
        raise Invalid(_("A single object's figures are broken down by channel only."))
    facet, value = scope_facet(scope)
    span = scope_dates(scope, facet, value)
    rows = _dimension_rows(scope, dimension)
    columns = {"contributions": _("Contributions"), "participants": _("Participants")}
    by = "channel" if dimension == "channel" else "value"
    where = (
        {"facet": facet, "value": value}
        if dimension == "channel"
        else {"facet": dimension}
    )
    counts: dict[str, int] = {}
    people: dict[str, int] = {}
    if span is not None:
        counts = {
            row[by]: row["n"]
            for row in scope_counts(scope, day__gte=span[0], day__lte=span[1], **where)
            .values(by)
            .annotate(n=Sum("count"))
            .order_by()
        }
        people = _people_by(scope, by, span, where)
    cells = [
        [
            Cell(counts.get(key, 0)),
            Cell(None if key == Channel.WORKSHOP_IN_PERSON else people.get(key, 0)),
        ]
        for key, _label in rows
    ]
    table = Table(
        key=f"participation_by_{dimension}",
        title=_("Participation by %(dimension)s")
        % {"dimension": DIMENSION_HEADINGS[dimension]().lower()},
        row_heading=DIMENSION_HEADINGS[dimension](),
        row_keys=[key for key, _label in rows],
        row_labels=[label for _key, label in rows],
        column_keys=list(columns),
        column_labels=list(columns.values()),
        cells=cells,
        unit=_("contributions and people"),
        summary=_("Contributions and participants per %(dimension)s.")
        % {"dimension": DIMENSION_HEADINGS[dimension]().lower()},
        notes=[
            _(
                "A contribution about several districts or topics counts in each; "
                "a person who took part in several counts in each."
            )
        ],
    )
    return suppress_table(table, columns=["participants"])
