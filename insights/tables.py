"""The one shape every figure of insight travels in: a fixed table.

The metrics (`insights/metrics.py`) fill tables; the charts, the data table under
each chart, the CSV download, the public reports and the open data all read the same
`Table`, so a number never differs between a chart and its download. Suppression
(`insights/suppression.py`) is applied to a whole table before anyone reads it: a
suppressed cell has `value=None` and `suppressed=True`, and nothing downstream can
tell what it held.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One number; `None` with `suppressed=True` when too few people stand behind it."""

    value: int | float | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None


@dataclass(frozen=True)
class Coverage:
    """Who a segment table counts: those who gave the detail under its consent.

    `described` people gave the detail, out of `participants` in the table's scope;
    the rest are the table's "unknown" share.
    """

    described: int
    participants: int

    @property
    def share(self) -> float:
        return self.described / self.participants if self.participants else 0.0

    @property
    def unknown(self) -> int:
        return self.participants - self.described


@dataclass(frozen=True)
class Table:
    """Rows × columns of cells, with the labels a person reads and the keys a
    program reads (CSV headers and open data use the keys)."""

    key: str  # stable machine name, e.g. "participation_by_channel"
    title: str  # translated
    row_heading: str  # translated heading of the row-label column
    row_keys: list[str]
    row_labels: list[str]
    column_keys: list[str]
    column_labels: list[str]
    cells: list[list[Cell]]  # len(row_keys) rows of len(column_keys) cells
    unit: str = ""  # translated, e.g. "people" or "contributions"
    summary: str = ""  # translated one-sentence text summary of what the table shows
    coverage: Coverage | None = None
    notes: list[str] = field(default_factory=list)  # translated footnotes

    def __post_init__(self) -> None:
        if len(self.row_keys) != len(self.row_labels) or len(self.row_keys) != len(
            self.cells
        ):
            raise ValueError("a label and a row of cells for every row key")
        if len(self.column_keys) != len(self.column_labels) or any(
            len(row) != len(self.column_keys) for row in self.cells
        ):
            raise ValueError("a label and a cell in every row for every column key")

    @property
    def is_empty(self) -> bool:
        return not any(cell.shown and cell.value for row in self.cells for cell in row)

    @property
    def has_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.cells for cell in row)

    def cell(self, row_key: str, column_key: str) -> Cell:
        return self.cells[self.row_keys.index(row_key)][
            self.column_keys.index(column_key)
        ]
