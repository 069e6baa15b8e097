"""Row encoders shared by the API and the downloads: one place decides how a value
looks, so JSON from the API and JSON Lines are the same bytes per value."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from opendata.datasets import (
    ARRAY,
    BOOLEAN,
    DATETIME,
    INTEGER,
    LIST_SEPARATOR,
    Dataset,
)

# A spreadsheet would run a cell starting with one of these as a formula
# (CSV injection); such cells get a leading apostrophe. Documented on the Open data
# page and in the README of every export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CHUNK_ROWS = 2000
PARQUET_ROW_GROUP = 10_000


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: json_value(value) for key, value in row.items()}


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    return neutralise(json_value(value))


def rows(dataset: Dataset) -> Iterator[Any]:
    """Public rows in (updated_at, id) order, fetched in chunks: memory stays flat."""
    if dataset.is_aggregate:
        return iter(dataset.compute())
    return (
        dataset.queryset().order_by("updated_at", "id").iterator(chunk_size=CHUNK_ROWS)
    )


def iter_csv(dataset: Dataset, objects: Iterable[Any]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(dataset.column_names)
    for count, obj in enumerate(objects, 1):
        row = dataset.row(obj)
        writer.writerow([csv_cell(row[name]) for name in dataset.column_names])
        if count % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def iter_jsonl(dataset: Dataset, objects: Iterable[Any]) -> Iterator[bytes]:
    lines = []
    for obj in objects:
        lines.append(json.dumps(json_row(dataset.row(obj)), ensure_ascii=False))
        if len(lines) >= 500:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


ARROW_TYPES = {
    INTEGER: pa.int64(),
    DATETIME: pa.timestamp("us", tz="UTC"),
    BOOLEAN: pa.bool_(),
    ARRAY: pa.list_(pa.string()),
}


def arrow_schema(dataset: Dataset) -> pa.Schema:
    return pa.schema(
        [
            pa.field(
                column.name,
                ARROW_TYPES.get(column.type, pa.string()),
                metadata={"description": column.description},
            )
            for column in dataset.columns
        ]
    )


class _Sink(io.RawIOBase):
    """A write-only file that hands its bytes over to the streaming response."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks = []
        return data


def iter_parquet(dataset: Dataset, objects: Iterable[Any]) -> Iterator[bytes]:
    """Parquet in row groups of at most PARQUET_ROW_GROUP rows, yielded as written."""
    schema = arrow_schema(dataset)
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    names = dataset.column_names

    def flush(batch: list[dict]) -> None:
        columns = {name: [row[name] for row in batch] for name in names}
        writer.write_table(pa.table(columns, schema=schema))

    batch: list[dict] = []
    for obj in objects:
        batch.append(dataset.row(obj))
        if len(batch) >= PARQUET_ROW_GROUP:
            flush(batch)
            batch = []
            yield sink.take()
    if batch:
        flush(batch)
    writer.close()
    yield sink.take()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", iter_csv),
    "jsonl": ("application/jsonl; charset=utf-8", iter_jsonl),
    "parquet": ("application/vnd.apache.parquet", iter_parquet),
}
