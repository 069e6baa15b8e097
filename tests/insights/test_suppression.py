"""Primary and secondary suppression on hand-made tables, and the attack it is
for: a total minus the shown cells of its line gives no hidden cell."""

from insights.suppression import protect, suppress_table
from insights.tables import Cell, Table


def _recoverable(values, hidden, lines) -> set[int]:
    """Cells an attacker works out from a line with one hidden cell, repeatedly
    (a recovered cell helps in the next line)."""
    known = set(range(len(values))) - hidden
    found = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            unknown = [i for i in line if i not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                found.add(unknown[0])
                changed = True
    return found


def test_primary_hides_one_to_four_and_shows_zero():
    hidden, unsafe = protect([0, 1, 4, 5, 12], [])
    assert hidden == {1, 2}
    assert unsafe == []


def test_secondary_hides_the_next_smallest_in_a_line():
    # Row total 20 published: 3 alone would be 20 − 9 − 8.
    values = [3, 9, 8, 20]
    lines = [[0, 1, 2, 3]]
    hidden, unsafe = protect(values, lines)
    assert hidden == {0, 2}
    assert not _recoverable(values, hidden, lines)
    assert unsafe == []


def test_two_small_hidden_cells_are_not_enough():
    # 1 + 2 = 3 hidden would still say both groups are tiny.
    values = [1, 2, 30, 33]
    hidden, _ = protect(values, [[0, 1, 2, 3]])
    assert hidden == {0, 1, 2}


def test_rows_and_columns_iterate_to_a_fixed_point():
    # 3×3 with totals (last row and column are totals):
    #   2  7  8 | 17
    #   6  9  5 | 20
    #   8 16 13 | 37
    grid = [[2, 7, 8, 17], [6, 9, 5, 20], [8, 16, 13, 37]]
    values = [v for row in grid for v in row]

    def at(r, c):
        return r * 4 + c

    rows = [[at(r, c) for c in range(4)] for r in range(3)]
    columns = [[at(r, c) for r in range(3)] for c in range(4)]
    hidden, unsafe = protect(values, rows + columns)
    assert at(0, 0) in hidden
    assert not _recoverable(values, hidden, rows + columns)
    assert unsafe == []
    for line in rows + columns:
        shut = [i for i in line if i in hidden]
        assert not shut or (len(shut) >= 2 and sum(values[i] for i in shut) >= 5)


def test_a_line_under_five_in_all_cannot_be_protected():
    hidden, unsafe = protect([3, 0], [[0, 1]])
    assert hidden == {0, 1}
    assert unsafe == [[0, 1]]


def _segment_table(values: dict[str, int]) -> Table:
    keys = list(values)
    return Table(
        key="segments",
        title="t",
        row_heading="r",
        row_keys=keys,
        row_labels=keys,
        column_keys=["people", "share"],
        column_labels=["people", "share"],
        cells=[[Cell(v), Cell(v / 40)] for v in values.values()],
    )


def test_a_table_with_its_total_elsewhere():
    # The coverage says 40 people; unknown is 12: "a" = 40 − 12 − 10 − 15 would
    # reveal the 3 without secondary suppression.
    table = _segment_table({"a": 3, "b": 10, "c": 15, "unknown": 12})
    out = suppress_table(
        table,
        columns=["people"],
        lines=[[(k, "people") for k in table.row_keys]],
        follow={"share": "people"},
    )
    shown = {k: out.cell(k, "people").value for k in out.row_keys}
    assert shown == {"a": None, "b": None, "c": 15, "unknown": 12}
    assert out.cell("a", "share").suppressed and out.cell("b", "share").suppressed
    assert out.cell("c", "share").value == 15 / 40
    assert out.notes and out.has_suppressed


def test_a_table_with_a_total_row():
    table = Table(
        key="t",
        title="t",
        row_heading="r",
        row_keys=["x", "y", "total"],
        row_labels=["x", "y", "total"],
        column_keys=["n"],
        column_labels=["n"],
        cells=[[Cell(4)], [Cell(30)], [Cell(34)]],
    )
    out = suppress_table(table, total_row="total")
    assert out.cell("x", "n").suppressed and out.cell("y", "n").suppressed
    assert out.cell("total", "n").value == 34
