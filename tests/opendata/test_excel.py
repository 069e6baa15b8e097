"""The CSV for Excel (`<dataset>.excel.csv`): a byte-order mark, `;` between cells,
CRLF line ends, the formula guard, and the same rows as the plain CSV."""

import csv
import io
import json

from django.core.management import call_command

from opendata import datasets
from tests.opendata.test_api import comment, download
from tests.opendata.test_formats import _comments


def test_excel_csv_has_bom_semicolons_crlf_and_the_plain_csvs_rows(client, setup):
    service, discussion, user, _ = setup
    _comments(discussion, user)
    comment(discussion, user, text="-1; ei näin\nvaan toisin")
    response = client.get("/api/v1/exports/comments.excel.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="comments.excel.csv"' in response["Content-Disposition"]
    excel = b"".join(response.streaming_content)
    plain = download(client, "comments", "csv")

    assert excel.startswith(b"\xef\xbb\xbf")
    assert not plain.startswith(b"\xef\xbb\xbf")
    text = excel.decode("utf-8-sig")
    assert text.startswith(";".join(datasets.get("comments").column_names) + "\r\n")
    # Every record ends CRLF (a bare LF is a line break inside a quoted cell).
    assert text.endswith("\r\n")
    excel_rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    plain_rows = list(csv.reader(io.StringIO(plain.decode(), newline="")))
    assert excel_rows == plain_rows
    assert len(excel_rows) == 1 + 7
    assert text.count("\r\n") == len(excel_rows)
    texts = [row[excel_rows[0].index("text")] for row in excel_rows[1:]]
    assert '\'=kaava 0, "lainaus" ja <b>0</b>' in texts
    assert "'-1; ei näin\nvaan toisin" in texts
    assert '"\'-1; ei näin\nvaan toisin"' in text  # `;` in a cell: quoted


def test_excel_csv_of_every_dataset_and_the_old_paths_still_work(client, setup):
    for name in datasets.REGISTRY:
        body = download(client, name, "excel.csv")
        assert body.startswith(b"\xef\xbb\xbf")
        header = body.decode("utf-8-sig").split("\r\n")[0]
        assert header.split(";") == datasets.get(name).column_names
        plain_header = header.replace(";", ",").encode()
        assert download(client, name, "csv").startswith(plain_header)
    assert client.get("/api/v1/exports/nothing.excel.csv").status_code == 404
    assert client.get("/api/v1/exports/comments.excel.xls").status_code == 404
    root = client.get("/api/v1/").json()
    assert root["datasets"]["comments"]["downloads"]["excel.csv"].endswith(
        "/api/v1/exports/comments.excel.csv"
    )


def test_datapackage_describes_the_excel_csv_as_its_own_resource(tmp_path, setup):
    call_command("export_open_data", str(tmp_path), stdout=io.StringIO())
    package = json.loads((tmp_path / "datapackage.json").read_text())
    resources = {r["path"]: r for r in package["resources"]}
    excel = resources["comments.excel.csv"]
    assert excel["name"] == "comments-excel"
    assert excel["format"] == "csv"
    assert excel["encoding"] == "utf-8-sig"
    assert excel["dialect"]["delimiter"] == ";"
    assert excel["schema"] == resources["comments.csv"]["schema"]
    assert (tmp_path / "comments.excel.csv").read_bytes().startswith(b"\xef\xbb\xbf")
