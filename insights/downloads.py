"""Any `Table` as a CSV download: the same cells its chart and data table show."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify

from insights.tables import Cell, Table
from workshops.exports import csv_safe  # the project's formula guard


def _value(cell: Cell) -> str | int | float:
    # A suppressed cell is empty, never 0: a program can tell it from a count.
    if cell.suppressed or cell.value is None:
        return ""
    return cell.value


def table_csv(table: Table) -> str:
    """Keys in the header (programs read them), then each row's key and label."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["key", "label", *table.column_keys])
    for key, label, row in zip(
        table.row_keys, table.row_labels, table.cells, strict=True
    ):
        writer.writerow(
            [csv_safe(key), csv_safe(label), *(_value(cell) for cell in row)]
        )
    return buffer.getvalue()


def csv_response(table: Table, *, name: str = "") -> HttpResponse:
    """`table` as an attachment named `<name>-<table key>.csv`."""
    filename = "-".join(part for part in (slugify(name), table.key) if part)
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
