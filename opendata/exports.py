"""Whole-portal exports for a city's data portal: every dataset in every format,
a Frictionless data package, a README and the licence."""

import json
from pathlib import Path

from opendata import catalog, datasets, formats

FRICTIONLESS_TYPES = {
    "integer": "integer",
    "datetime": "datetime",
    "boolean": "boolean",
    "number": "number",
}
# Frictionless Table Schema v2 `list`: items joined with a delimiter in the CSV.
LIST_FIELD = {
    "type": "list",
    "delimiter": datasets.LIST_SEPARATOR,
    "itemType": "string",
}

LICENSE_TEXT = """Palvelupaja open data is licensed under the Creative Commons
Attribution 4.0 International licence (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/

You are free to share (copy and redistribute the material in any medium or format)
and adapt (remix, transform and build upon the material) for any purpose, even
commercially, under the following term: Attribution — you must give appropriate
credit, provide a link to the licence, and indicate if changes were made.
The full legal code: https://creativecommons.org/licenses/by/4.0/legalcode
"""

README_TEXT = """# Palvelupaja open data

What the cities heard from residents, under CC BY 4.0 (see LICENSE).

Every dataset is here as CSV (UTF-8, RFC 4180), JSON Lines and Parquet, with the
same columns; `datapackage.json` describes every column (Frictionless Data).
`<dataset>.excel.csv` is the same CSV for Excel: a UTF-8 byte-order mark, `;`
between cells and CRLF line ends, which Excel in Finnish and Swedish locales opens
by double-click.

- `author` is a pseudonym: the same person has the same pseudonym in every dataset;
  `removed` when the account was deleted. No names, e-mails or ids.
- `created_at` of authored rows is rounded down to the hour.
- CSV: UTF-8, a header row, CRLF after every row (a line break inside a cell
  stays as typed, inside quotes); a cell holding the separator, `"`, CR or LF is
  quoted with its quotes doubled; null and the empty string are both an empty
  cell; times are UTC in RFC 3339 with `Z`, microseconds only when there are any
  (2026-03-01T12:30:05.000123Z, 2026-03-01T12:00:00Z); booleans true/false.
- CSV cells starting with =, +, -, @, tab or carriage return get a leading
  apostrophe (') so that spreadsheets do not run them as formulas; JSON Lines and
  Parquet keep the text as it is.
- Text columns are plain text exactly as people typed it, which may include `<`,
  `>`, `&` and even `<script>`: escape them before putting them into HTML.
- The live API with incremental sync (`updated_since`, tombstones) is at /api/v1/.

Datasets:
"""


def _fields(dataset: datasets.Dataset, fmt: str) -> list[dict]:
    """The Table Schema fields of a dataset in one format: a list column is a
    delimited `list` in CSV and an `array` in JSON Lines and Parquet."""
    fields = []
    for column in dataset.columns:
        field = {
            "name": column.name,
            "type": FRICTIONLESS_TYPES.get(column.type, "string"),
            "description": column.description,
        }
        if column.type == datasets.ARRAY:
            csv = fmt in ("csv", formats.EXCEL_CSV)
            field.update(LIST_FIELD if csv else {"type": "array"})
        fields.append(field)
    return fields


def resource_name(name: str, fmt: str) -> str:
    """The CSV keeps the dataset's name; the other formats add theirs."""
    if fmt == formats.EXCEL_CSV:
        return f"{name}-excel"
    return name if fmt == "csv" else f"{name}-{fmt}"


def _file_format(fmt: str) -> dict:
    """Format, media type, encoding and CSV dialect of a resource."""
    if fmt == formats.EXCEL_CSV:
        return {
            "format": "csv",
            "mediatype": catalog.MEDIA_TYPES["csv"],
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ";", "lineTerminator": "\r\n"},
        }
    return {
        "format": fmt,
        "mediatype": catalog.MEDIA_TYPES[fmt],
        **({"encoding": "utf-8"} if fmt != "parquet" else {}),
    }


def datapackage() -> dict:
    """Every dataset in every format it is written in, each a resource."""
    return {
        "name": "palvelupaja",
        "title": "Palvelupaja open data",
        "licenses": [
            {"name": "CC-BY-4.0", "path": catalog.LICENSE_URI, "title": "CC BY 4.0"}
        ],
        "resources": [
            {
                "name": resource_name(name, fmt),
                "type": "table",
                "path": f"{name}.{fmt}",
                **_file_format(fmt),
                "title": dataset.title["en"],
                "description": dataset.description["en"],
                "schema": {
                    "fields": _fields(dataset, fmt),
                    # Aggregates have no row ids: a cell is city, month, channel,
                    # dimension and value.
                    "primaryKey": (
                        ["city", "month", "channel", "dimension", "value"]
                        if dataset.is_aggregate
                        else ["id"]
                    ),
                },
            }
            for name, dataset in datasets.REGISTRY.items()
            for fmt in formats.FORMATS
        ],
    }


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, dataset in datasets.REGISTRY.items():
        for fmt in formats.FORMATS:
            path = directory / f"{name}.{fmt}"
            with path.open("wb") as out:
                for chunk in formats.encoded(dataset, fmt):
                    out.write(chunk)
            written.append(path)
    (directory / "datapackage.json").write_text(
        json.dumps(datapackage(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    lines = [
        f"- `{name}`: {dataset.description['en']}"
        for name, dataset in datasets.REGISTRY.items()
    ]
    (directory / "README.md").write_text(
        README_TEXT + "\n".join(lines) + "\n", encoding="utf-8"
    )
    (directory / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
    return [*written, directory / "datapackage.json"]
