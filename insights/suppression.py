"""Suppression: no figure of insight tells anything about fewer than five people.

Applied to whole tables before anyone reads them (the dashboards, the CSV, the
reports and the open data all get the suppressed table):

- **Primary**: every count of people from 1 to 4 is hidden. Zero is shown: it
  says nobody of that group took part, which is about no one.
- **Secondary**: a *line* is a set of cells whose sum is published or derivable
  (a row or column with its total, the segments of a table whose total is its
  coverage). In every line, the hidden cells must be none, or at least two that
  together hold five people or more; otherwise the smallest shown non-zero cell
  of that line is hidden too (a zero only when nothing else is left), and all
  lines are checked again until nothing changes. One hidden cell in a line is
  exactly "total minus the others"; two hidden cells adding up to three would
  still say both groups are tiny.
- A line that cannot be protected (its total itself is under five) loses its
  total: `protect` reports it, and the caller shows no total for it.

Counts of contributions are not people and are not suppressed; the shares
derived from a hidden count are hidden with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from django.utils.translation import gettext as _

from insights.tables import Cell, Table

K = 5


def protect(
    values: Sequence[int], lines: Iterable[Sequence[int]], k: int = K
) -> tuple[set[int], list[Sequence[int]]]:
    """(indices to hide, lines that stay unsafe) for `values` whose `lines`
    (lists of indices) each have a known sum."""
    lines = [list(line) for line in lines]
    hidden = {i for i, v in enumerate(values) if 0 < v < k}

    def safe(line: list[int]) -> bool:
        shut = [i for i in line if i in hidden]
        return not shut or (len(shut) >= 2 and sum(values[i] for i in shut) >= k)

    changed = True
    while changed:
        changed = False
        for line in lines:
            if safe(line):
                continue
            shown = [i for i in line if i not in hidden]
            if not shown:
                continue
            hidden.add(min(shown, key=lambda i: (values[i] == 0, values[i], i)))
            changed = True
    return hidden, [line for line in lines if not safe(line)]


def suppress_table(
    table: Table,
    *,
    columns: Sequence[str] | None = None,
    total_row: str | None = None,
    total_column: str | None = None,
    lines: Iterable[Sequence[tuple[str, str]]] = (),
    follow: dict[str, str] | None = None,
    k: int = K,
) -> Table:
    """`table` with its people cells (`columns`, default all) suppressed.

    `total_row`/`total_column` name a row/column of totals in the table (each
    column/row is then a line with it); `lines` adds lines of (row, column) keys
    whose sum is published elsewhere (e.g. the coverage). `follow` maps a derived
    column (a share) to the people column whose suppression it copies."""
    columns = list(columns or table.column_keys)
    positions = [(r, c) for r in table.row_keys for c in columns]
    index = {pos: i for i, pos in enumerate(positions)}
    values = [
        int(table.cell(r, c).value or 0) if table.cell(r, c).shown else 0
        for r, c in positions
    ]
    all_lines = [[index[pos] for pos in line] for line in lines]
    if total_row is not None:
        all_lines += [[index[(r, c)] for r in table.row_keys] for c in columns]
    if total_column is not None:
        all_lines += [[index[(r, c)] for c in columns] for r in table.row_keys]
    hidden, _unsafe = protect(values, all_lines, k)
    shut = {positions[i] for i in hidden}
    follow = follow or {}
    cells = [
        [
            Cell(None, suppressed=True)
            if (r, follow.get(c, c)) in shut
            else table.cells[ri][ci]
            for ci, c in enumerate(table.column_keys)
        ]
        for ri, r in enumerate(table.row_keys)
    ]
    notes = list(table.notes)
    if shut:
        notes.append(
            _(
                "Figures for fewer than %(k)s people are hidden, and so are others "
                "from which a hidden figure could be worked out."
            )
            % {"k": k}
        )
    return replace(table, cells=cells, notes=notes)
