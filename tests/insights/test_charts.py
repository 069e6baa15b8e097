"""Charts: inline SVG a browser draws without JavaScript and a screen reader reads."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from insights import charts
from insights.tables import Cell, Coverage, Table

SVG = "{http://www.w3.org/2000/svg}"
HIDDEN = Cell(None, suppressed=True)


def table(cells, *, key="by_district", rows=None, columns=None, **extra) -> Table:
    rows = rows or [f"Row <script>{i}</script>" for i in range(len(cells))]
    columns = columns or [f"Series {i}" for i in range(len(cells[0]))]
    return Table(
        key=key,
        title="Participants by district",
        row_heading="District",
        row_keys=[f"r{i}" for i in range(len(rows))],
        row_labels=rows,
        column_keys=[f"c{i}" for i in range(len(columns))],
        column_labels=columns,
        cells=[[c if isinstance(c, Cell) else Cell(c) for c in row] for row in cells],
        **extra,
    )


def svg_of(html: str) -> ET.Element:
    match = re.search(r"<svg.*</svg>", html, re.S)
    assert match, "the figure draws an SVG"
    return ET.fromstring(match.group(0))  # noqa: S314 - our own output


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_svg_is_well_formed_titled_and_free_of_style_and_script():
    html = charts.figure(
        table([[10, 40], [HIDDEN, 20]]), charts.BARS, csv_url="/x.csv"
    ).render()
    svg = svg_of(html)
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == labelled[0]
    assert svg.find(f"{SVG}title").text == "Participants by district"
    assert svg.find(f"{SVG}desc").get("id") == labelled[1]
    assert "Series 1, 40" in svg.find(f"{SVG}desc").text
    assert "style=" not in html
    assert "<script" not in html  # the row label's markup is text
    assert "Row &lt;script&gt;0&lt;/script&gt;" in html


def test_bars_are_proportional_to_their_values():
    svg = svg_of(charts.figure(table([[10], [40], [25]]), charts.BARS).render())
    widths = [int(bar.get("width")) for bar in svg.iter(f"{SVG}rect")]
    assert widths[1] > 0
    assert [w / widths[1] for w in widths] == pytest.approx([0.25, 1, 0.625], 0.01)


def test_a_suppressed_cell_draws_no_bar_and_reads_as_hidden_never_zero():
    fig = charts.figure(table([[HIDDEN, 12], [7, HIDDEN]]), charts.BARS)
    html = fig.render()
    svg = svg_of(html)
    series = [bar.get("data-series") for bar in svg.iter(f"{SVG}rect")]
    assert series.count("c0") + series.count("c1") == 2  # 4 cells, 2 shown
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class")]
    assert values == ["–", "12", "7", "–"]
    assert fig.rows[0][1] == ["–", "12"]
    assert ">0<" not in html
    assert "hidden to protect privacy" in html


def test_several_series_differ_by_pattern_not_colour_alone():
    html = charts.figure(table([[1, 2, 3]]), charts.BARS).render()
    svg = svg_of(html)
    patterns = svg.findall(f".//{SVG}pattern")
    assert len(patterns) == 2  # the first series is solid, the others patterned
    legend = [t.text for t in svg.iter(f"{SVG}text")][-3:]
    assert legend == ["Series 0", "Series 1", "Series 2"]


def test_time_lines_break_at_a_suppressed_period():
    cells = [[10, 3], [HIDDEN, 4], [30, 5], [20, 6]]
    svg = svg_of(charts.figure(table(cells, key="over_time"), charts.TIME).render())
    first, second = svg.findall(f".//{SVG}g[@data-series]")
    assert len(first.findall(f"{SVG}polyline")) == 2
    assert len(first.findall(f"{SVG}path")) == 3  # a marker per shown period
    assert len(second.findall(f"{SVG}polyline")) == 1
    points = [
        tuple(map(int, p.split(",")))
        for p in second.find(f"{SVG}polyline").get("points").split()
    ]
    # Rising values climb the drawing (smaller y); the axis tops at a round 50.
    assert [y for _x, y in points] == sorted((y for _x, y in points), reverse=True)
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert ticks[:5] == ["0", "12.5", "25", "37.5", "50"]


def test_a_chart_draws_its_chosen_columns_and_its_table_shows_them_all():
    fig = charts.figure(
        table(
            [[20, 50.0, 25.5, 24.5], [HIDDEN, HIDDEN, 74.5, None]],
            columns=["People", "Share (%)", "Residents (%)", "Difference"],
            coverage=Coverage(described=40, participants=50),
        ),
        charts.PAIRED,
        columns=["c1", "c2"],
    )
    html = fig.render()
    svg = svg_of(html)
    assert [
        bar.get("data-series")
        for bar in svg.iter(f"{SVG}rect")
        if bar.get("data-series")
    ] == ["c1", "c2", "c2"]
    assert fig.columns == ["People", "Share (%)", "Residents (%)", "Difference"]
    assert fig.rows[0][1] == ["20", "50", "25.5", "24.5"]
    assert fig.rows[1][1] == ["–", "–", "74.5", "–"]
    assert "Counted among the 40 of 50 participants (80 %)" in html
    assert "unknown: 10" in html


def test_an_empty_table_says_so_instead_of_drawing():
    html = charts.figure(table([[0], [0]]), charts.BARS).render()
    assert "<svg" not in html
    assert "No figures to show" in html
    assert "<table>" in html  # the figures (all zero) still read


def test_nice_ceiling_picks_a_round_top():
    assert [charts.nice_ceiling(v) for v in (0, 3, 7, 12, 180, 1001)] == [
        1,
        5,
        10,
        20,
        200,
        2000,
    ]


def test_period_labels_under_a_long_time_axis_keep_apart():
    weeks = [f"week {n}/2026" for n in range(1, 53)]
    fig = charts.figure(table([[n] for n in range(52)], rows=weeks), charts.TIME)
    labels = [t for t in fig.texts if t.text.startswith("week")]
    assert labels[0].text == "week 1/2026"
    assert 4 <= len(labels) < 10
    gaps = [b.x - a.x for a, b in zip(labels, labels[1:], strict=False)]
    assert min(gaps) >= len("week 52/2026") * charts.CHAR_WIDTH
