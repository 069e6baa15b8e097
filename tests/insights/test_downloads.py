"""A table's CSV: the chart's own cells, safe to open in a spreadsheet."""

import csv
import io

from insights.downloads import csv_response, table_csv
from insights.tables import Cell, Table


def _table() -> Table:
    return Table(
        key="by_topic",
        title="By topic",
        row_heading="Topic",
        row_keys=["traffic", "=cmd"],
        row_labels=['Traffic, "roads"', '=HYPERLINK("x")'],
        column_keys=["participants", "contributions"],
        column_labels=["Participants", "Contributions"],
        cells=[[Cell(12), Cell(40)], [Cell(None, suppressed=True), Cell(7)]],
    )


def test_the_csv_has_keys_in_its_header_and_hidden_cells_empty():
    rows = list(csv.reader(io.StringIO(table_csv(_table()))))
    assert rows == [
        ["key", "label", "participants", "contributions"],
        ["traffic", 'Traffic, "roads"', "12", "40"],
        ["'=cmd", '\'=HYPERLINK("x")', "", "7"],
    ]


def test_the_download_is_an_attachment_named_after_its_scope_and_table():
    response = csv_response(_table(), name="Helsinki 2026/Q1")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="helsinki-2026q1-by_topic.csv"'
    )
    assert response.content.decode().startswith("key,label,")
