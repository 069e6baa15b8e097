"""Charts drawn on the server as inline SVG from a `Table`, each with its data table.

Why small templates of our own rather than a charting library: pygal writes inline
`style` attributes and a `<script>` into its SVG (our CSP refuses both), matplotlib's
SVG styles every element inline and has no per-chart title or description, and
leather has neither fill patterns nor ARIA. What a chart needs here is little: this
module computes the geometry (whole numbers in a fixed view box) and
`templates/insights/charts/` draws it with presentation attributes and the classes
of `static/css/insights.css`.

Every series has a colour with at least 3:1 contrast on white *and* a pattern
(bars) or a dash and marker shape (lines), and every bar carries its value as text,
so nothing is told by colour alone. A suppressed cell draws nothing and reads "–",
explained in a footnote; it is never drawn as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import count

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from insights.tables import Cell, Table

TIME = "time"  # lines over time: rows are periods, columns are series
BARS = "bars"  # horizontal bars: rows are categories, columns are series
PAIRED = "paired"  # shares among participants beside shares of the population
KINDS = (TIME, BARS, PAIRED)

# Narrow enough that its text stays legible when a phone scales the drawing down.
WIDTH = 520
FONT = 14
CHAR_WIDTH = 7  # of a 13-unit label, on average: enough to keep labels apart
LABEL_CHARS = 60  # a longer row label is cut in the chart (the table shows it whole)
SUPPRESSED = "–"

# (colour, fill pattern, line dash, marker): colours 5.6:1 or more on white.
STYLES = [
    ("#0041a8", "", "", "circle"),
    ("#a3131c", "hatch", "8 4", "square"),
    ("#0b6b2f", "dots", "2 3", "triangle"),
    ("#6b3fa0", "cross", "10 3 2 3", "diamond"),
    ("#8a5a00", "vertical", "12 6", "circle"),
    ("#4d4d4d", "grid", "4 4", "square"),
]

_ids = count(1)


@dataclass(frozen=True)
class Series:
    index: int  # among the chart's series
    column: int  # the table column it draws
    key: str
    label: str
    colour: str
    pattern: str  # "" for a solid fill
    dash: str  # "" for a solid line
    marker: str

    @property
    def css_class(self) -> str:
        return f"chart-series-{self.index % len(STYLES) + 1}"


@dataclass(frozen=True)
class Text:
    x: int
    y: int
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    series: Series
    value: int | float | None
    label: Text


def marker_path(shape: str, x: int, y: int, r: int = 5) -> str:
    """The SVG path of a line's marker at (x, y): each series has its own shape."""
    if shape == "square":
        return f"M{x - r + 1},{y - r + 1}h{2 * r - 2}v{2 * r - 2}h{2 - 2 * r}z"
    if shape == "triangle":
        return f"M{x},{y - r}l{r},{2 * r - 1}h{-2 * r}z"
    if shape == "diamond":
        return f"M{x},{y - r}l{r},{r}l{-r},{r}l{-r},{-r}z"
    arc = f"a{r - 1},{r - 1} 0 1,0"
    return f"M{x - r + 1},{y}{arc} {2 * r - 2},0{arc} {2 - 2 * r},0"


@dataclass(frozen=True)
class Line:
    series: Series
    segments: list[str]  # "x,y x,y …" per unbroken run (a suppressed cell breaks it)
    markers: list[str]  # a marker path per shown point


@dataclass(frozen=True)
class LegendItem:
    series: Series
    y: int

    @property
    def marker(self) -> str:
        return marker_path(self.series.marker, 12, self.y - 5)


@dataclass
class Figure:
    """Everything a chart template and its data table draw."""

    kind: str
    uid: str
    table: Table
    csv_url: str
    width: int = WIDTH
    height: int = 0
    series: list[Series] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)  # row, axis and tick labels
    gridlines: list[int] = field(default_factory=list)  # y of each gridline
    plot: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, right, bottom
    legend: list[LegendItem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the data table's headings
    rows: list[tuple[str, list[str]]] = field(default_factory=list)  # and its rows

    @property
    def draws_nothing(self) -> bool:
        """No drawn cell holds a number or hides one: a chart would be blank."""
        return not any(
            row[series.column].suppressed
            or (row[series.column].shown and row[series.column].value)
            for row in self.table.cells
            for series in self.series
        )

    @property
    def summary(self) -> str:
        return self.table.summary or _summary(self)

    @property
    def suppressed_note(self) -> str:
        return _(
            "– hidden to protect privacy: fewer than 5 people, or a number from "
            "which such a small one could be worked out."
        )

    @property
    def coverage_text(self) -> str:
        coverage = self.table.coverage
        if coverage is None:
            return ""
        return _(
            "Counted among the %(described)s of %(participants)s participants "
            "(%(share)s) who gave this detail; unknown: %(unknown)s."
        ) % {
            "described": number_format(coverage.described, force_grouping=True),
            "participants": number_format(coverage.participants, force_grouping=True),
            "share": _percent(coverage.share),
            "unknown": number_format(coverage.unknown, force_grouping=True),
        }

    def render(self) -> SafeString:
        return render_to_string("insights/charts/figure.html", {"figure": self})


def figure(
    table: Table, kind: str, *, columns: list[str] | None = None, csv_url: str = ""
) -> Figure:
    """Lay out `table` as a chart of `kind` (TIME, BARS or PAIRED) drawing the
    table's `columns` (all by default); the data table under it shows them all."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")
    fig = Figure(
        kind=kind,
        uid=f"chart-{table.key}-{next(_ids)}",
        table=table,
        csv_url=csv_url,
    )
    drawn = [table.column_keys.index(key) for key in columns or table.column_keys]
    fig.series = [
        Series(
            i, c, table.column_keys[c], table.column_labels[c], *STYLES[i % len(STYLES)]
        )
        for i, c in enumerate(drawn)
    ]
    fig.columns = list(table.column_labels)
    fig.rows = [
        (label, [cell_text(cell) for cell in row])
        for label, row in zip(table.row_labels, table.cells, strict=True)
    ]
    if kind == TIME:
        _lay_out_time(fig)
    else:
        _lay_out_bars(fig)
    return fig


def cell_text(cell: Cell) -> str:
    """A cell as the chart and its table write it."""
    if cell.suppressed or cell.value is None:
        return SUPPRESSED
    if isinstance(cell.value, float) and not cell.value.is_integer():
        return number_format(cell.value, decimal_pos=1, force_grouping=True)
    return number_format(int(cell.value), force_grouping=True)


def _percent(share: float) -> str:
    return _("%(number)s %%") % {
        "number": number_format(round(share * 100), force_grouping=True)
    }


def _summary(fig: Figure) -> str:
    shown = [
        (row[series.column].value, fig.table.row_labels[r], series.label)
        for r, row in enumerate(fig.table.cells)
        for series in fig.series
        if row[series.column].shown
    ]
    if not shown:
        return _("No figures to show for this choice.")
    value, row, column = max(shown, key=lambda item: item[0])
    largest = cell_text(Cell(value))
    if len(fig.series) == 1:
        return _("Largest: %(row)s, %(value)s.") % {"row": row, "value": largest}
    return _("Largest: %(row)s, %(column)s, %(value)s.") % {
        "row": row,
        "column": column,
        "value": largest,
    }


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ not below `value` (the top of an axis)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop ends at 10


def _largest(fig: Figure) -> float:
    return max(
        (
            row[series.column].value
            for row in fig.table.cells
            for series in fig.series
            if row[series.column].shown
        ),
        default=0,
    )


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _legend(fig: Figure, top: int) -> int:
    """Stack the legend from `top` (one line per series); returns the y below it."""
    if len(fig.series) < 2:
        return top
    for series in fig.series:
        fig.legend.append(LegendItem(series, top + FONT))
        top += FONT + 10
    return top + 6


def _lay_out_bars(fig: Figure) -> None:
    """One block per row: its label, then one bar per series with its value."""
    bar_height, gap, value_room = 18, 4, 110
    top = _legend(fig, 4)
    top_value = _largest(fig)
    scale = (fig.width - value_room) / top_value if top_value else 0
    for label, row in zip(fig.table.row_labels, fig.table.cells, strict=True):
        fig.texts.append(Text(0, top + FONT, _cut(label)))
        top += FONT + 8
        for series in fig.series:
            cell = row[series.column]
            width = round(cell.value * scale) if cell.shown else 0
            text = Text(width + 6, top + bar_height - 4, cell_text(cell))
            fig.bars.append(
                Bar(0, top, width, bar_height, series, cell.value, text)
                if cell.shown
                else Bar(0, top, 0, bar_height, series, None, text)
            )
            top += bar_height + gap
        top += 10
    fig.height = top


def _lay_out_time(fig: Figure) -> None:
    """Lines over the periods, a value axis with gridlines, labels under the axis."""
    left, right, top, plot_height = 56, fig.width - 16, 12, 220
    bottom = top + plot_height
    fig.plot = (left, top, right, bottom)
    top_value = nice_ceiling(_largest(fig))
    periods = len(fig.table.row_keys)
    step = (right - left) / (periods - 1) if periods > 1 else 0

    def x_of(index: int) -> int:
        return round(left + index * step) if periods > 1 else (left + right) // 2

    def y_of(value: float) -> int:
        return round(bottom - plot_height * value / top_value)

    for tick in range(5):
        value = top_value * tick / 4
        y = y_of(value)
        fig.gridlines.append(y)
        fig.texts.append(Text(left - 6, y + 5, cell_text(Cell(value)), "end"))
    # As many period labels as fit side by side, evenly spread, the first always.
    widest = max((len(label) for label in fig.table.row_labels), default=0)
    room = widest * CHAR_WIDTH + 16
    every = max(1, math.ceil(periods * room / (right - left))) if periods else 1
    shown = list(range(0, periods, every))
    if shown and periods - 1 - shown[-1] >= every:
        shown.append(periods - 1)
    for index in shown:
        anchor = "middle"
        if periods > 1 and index == 0:
            anchor = "start"
        elif periods > 1 and index == periods - 1:
            anchor = "end"
        fig.texts.append(
            Text(x_of(index), bottom + FONT + 8, fig.table.row_labels[index], anchor)
        )
    for series in fig.series:
        segments, run, markers = [], [], []
        for index, row in enumerate(fig.table.cells):
            cell = row[series.column]
            if not cell.shown:
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            x, y = x_of(index), y_of(cell.value)
            markers.append(marker_path(series.marker, x, y))
            run.append(f"{x},{y}")
        if run:
            segments.append(" ".join(run))
        fig.lines.append(Line(series, segments, markers))
    fig.height = _legend(fig, bottom + FONT + 24)
