"""What a dashboard shows: its period choices and its sections of tables.

The numbers are the metrics' (`insights/metrics.py`, through `insights/cache.py`);
this module only chooses which tables a city or an object shows, in which order,
and as which kind of chart. The page and the CSV downloads read the same list, so
a download is exactly the table under its chart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insights import charts, metrics
from insights.cache import cached
from insights.scope import Scope
from insights.sources import CHANNEL_LABELS
from insights.tables import Table

MONTHS_OFFERED = 12
QUARTERS_OFFERED = 4
YEARS_OFFERED = 3
WHOLE = "all"
_PERIOD = re.compile(r"^(?:y(\d{4})|q(\d{4})-([1-4])|m(\d{4})-(\d{1,2}))$")


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def period_dates(value: str) -> tuple[date | None, date | None]:
    """The first and last day of a period choice; (None, None) for the whole time.

    Only whole calendar months, quarters and years: the metrics' fixed
    combinations, so that no two tables differ by a small group."""
    match = _PERIOD.match(value)
    if value == WHOLE or match is None:
        return None, None
    year, q_year, quarter, m_year, month = match.groups()
    if year:
        return date(int(year), 1, 1), date(int(year), 12, 31)
    if q_year:
        first = (int(quarter) - 1) * 3 + 1
        return date(int(q_year), first, 1), _month_end(int(q_year), first + 2)
    if not 1 <= int(month) <= 12:
        return None, None
    return date(int(m_year), int(month), 1), _month_end(int(m_year), int(month))


def period_choices(today: date | None = None) -> list:
    """The whole time, the last months, quarters and years (grouped for a select)."""
    today = today or timezone.localdate()
    months, year, month = [], today.year, today.month
    for _step in range(MONTHS_OFFERED):
        months.append((f"m{year}-{month}", f"{MONTHS[month]} {year}"))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    quarters, year, quarter = [], today.year, (today.month - 1) // 3 + 1
    for _step in range(QUARTERS_OFFERED):
        quarters.append((f"q{year}-{quarter}", f"Q{quarter} {year}"))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    years = [
        (f"y{y}", str(y)) for y in range(today.year, today.year - YEARS_OFFERED, -1)
    ]
    return [
        (WHOLE, _("The whole time")),
        (_("Months"), months),
        (_("Quarters"), quarters),
        (_("Years"), years),
    ]


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    granularity = forms.ChoiceField(
        label=gettext_lazy("Over time by"),
        required=False,
        choices=[("month", gettext_lazy("month")), ("week", gettext_lazy("week"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices()

    def chosen(self) -> tuple[str, str]:
        """(period, granularity): the valid choices, else the defaults."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("period") or WHOLE, data.get("granularity") or "month"


@dataclass
class Chart:
    table: Table
    kind: str
    columns: list[str] | None = None


@dataclass
class Section:
    id: str
    title: str
    charts: list[Chart] = field(default_factory=list)


def select_columns(table: Table, keys: list[str], *, key: str, title: str) -> Table:
    """A table of some of `table`'s columns (the cells, coverage and notes kept)."""
    index = [table.column_keys.index(k) for k in keys]
    return Table(
        key=key,
        title=title,
        row_heading=table.row_heading,
        row_keys=table.row_keys,
        row_labels=table.row_labels,
        column_keys=keys,
        column_labels=[_channel_label(k) for k in keys],
        cells=[[row[i] for i in index] for row in table.cells],
        unit=table.unit,
        coverage=table.coverage,
        notes=table.notes,
    )


def _channel_label(column_key: str) -> str:
    channel = column_key.split(".")[0]
    return str(CHANNEL_LABELS[channel]) if channel in CHANNEL_LABELS else _("All")


def _over_time(table: Table) -> list[Chart]:
    """Contributions and participants over time, each per channel that has any."""
    out = []
    for measure, key, title in (
        ("contributions", "contributions_over_time", _("Contributions over time")),
        ("participants", "participants_over_time", _("Participants over time")),
    ):
        keys = [
            k
            for i, k in enumerate(table.column_keys)
            if k.endswith("." + measure)
            and (
                k.startswith("all.")
                or any(row[i].suppressed or row[i].value for row in table.cells)
            )
        ]
        out.append(
            Chart(select_columns(table, keys, key=key, title=title), charts.TIME)
        )
    return out


def sections(scope: Scope) -> list[Section]:
    """The dashboard of a city, or of one planned service, workshop or dream topic."""
    over_time = Section("over-time", _("Participation over time"))
    over_time.charts = _over_time(cached(metrics.participation_over_time, scope))
    where = Section("where", _("Through which channel, where and about what"))
    dimensions = metrics.DIMENSIONS if scope.is_city else ("channel",)
    where.charts = [
        Chart(cached(metrics.participation_by, scope, d), charts.BARS)
        for d in dimensions
    ]
    answers = Section("responsiveness", _("How quickly the city answers"))
    answers.charts = [
        Chart(t, charts.BARS) for t in cached(metrics.responsiveness, scope)
    ]
    who = Section("segments", _("Who takes part, and who is missing"))
    for name in metrics.SEGMENT_FIELDS:
        who.charts.append(
            Chart(cached(metrics.segments, scope, name), charts.BARS, ["people"])
        )
        who.charts.append(
            Chart(
                cached(metrics.who_is_missing, scope, name),
                charts.PAIRED,
                ["share", "population_share"],
            )
        )
    return [s for s in (over_time, where, answers, who) if s.charts]


def find_table(found: list[Section], key: str) -> Table | None:
    return next((c.table for s in found for c in s.charts if c.table.key == key), None)


def figures(
    found: list[Section], csv_url: Callable[[str], str]
) -> list[tuple[Section, list[charts.Figure]]]:
    return [
        (
            section,
            [
                charts.figure(
                    c.table, c.kind, columns=c.columns, csv_url=csv_url(c.table.key)
                )
                for c in section.charts
            ],
        )
        for section in found
    ]
