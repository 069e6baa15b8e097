"""Row encoders shared by the API and the downloads: one place decides how a value
looks, so JSON from the API and JSON Lines are the same bytes per value."""

import io
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction

from opendata import copy_csv
from opendata.datasets import (
    ARRAY,
    BOOLEAN,
    DATETIME,
    INTEGER,
    LIST_SEPARATOR,
    NUMBER,
    STRING,
    Dataset,
)

# A spreadsheet would run a cell starting with one of these as a formula
# (CSV injection); such cells get a leading apostrophe. Documented on the Open data
# page and in the README of every export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CHUNK_ROWS = 5000  # rows fetched from the database at a time
YIELD_ROWS = 2000  # rows of CSV or JSON Lines per chunk handed to the server
PARQUET_ROW_GROUP = 10_000
EXCEL_CSV = "excel.csv"  # the format name of the CSV for Excel


def iso_time(value: datetime) -> str:
    """RFC 3339 as isoformat() writes it, UTC as Z: 2026-03-01T12:30:05.000123Z."""
    if value.__class__ is datetime:
        # orjson writes the same text in a quarter of the time: two timestamps a
        # row were a third of a CSV download. It refuses datetime subclasses.
        return orjson.dumps(value, option=orjson.OPT_UTC_Z)[1:-1].decode()
    return value.isoformat().replace("+00:00", "Z")


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_time(value)
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
    """Public rows in (updated_at, id) order, fetched in chunks: memory stays flat.

    Flat datasets come as named value tuples (no model instances), streamed on
    PostgreSQL. Otherwise a server-side cursor in a transaction: in autocommit
    Django declares it WITH HOLD, and PostgreSQL then materialises the whole
    result before the first row.
    """
    if dataset.is_aggregate:
        yield from dataset.compute()
        return
    queryset = dataset.queryset().order_by("updated_at", "id")
    if dataset.flat:
        names = list(dataset.flat_fields)
        if connection.vendor == "postgresql":
            stream = _postgresql_stream(queryset.values_list(*names), names)
            if stream is not None:
                yield from stream
                return
        queryset = queryset.values_list(*names, named=True)
    with transaction.atomic(), _compiled_timestamps():
        yield from queryset.iterator(chunk_size=CHUNK_ROWS)


def _postgresql_stream(queryset, names: list[str]) -> Iterator[Any] | None:
    """The ORM's own query, streamed by psycopg in chunks of rows, as named tuples.

    PostgreSQL keeps sending while we encode (on the other core), with no
    round trip per chunk as a server-side cursor has: about 1.5 times the rows a
    second. None when the query needs Django's value converters.
    """
    import psycopg

    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return iter(())
    if compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]]):
        return None
    # Chunks need libpq 17; older ones stream row by row.
    size = CHUNK_ROWS if psycopg.pq.version() >= 170000 else 1
    row_class = namedtuple("Row", names)
    new = tuple.__new__

    def stream() -> Iterator[Any]:
        with connection.cursor() as cursor:
            _compiled_timestamps_on(cursor.cursor)
            for row in cursor.cursor.stream(sql, params, size=size):
                yield new(row_class, row)

    return stream()


def _compiled_timestamptz_loader(adapters) -> type | None:
    """psycopg's compiled timestamptz loader; None without the C extension."""
    from psycopg.types.datetime import TimestamptzLoader

    try:
        compiled = adapters._get_optimised(TimestamptzLoader)
    except AttributeError:  # a psycopg without the private helper
        return None
    return None if compiled is TimestamptzLoader else compiled


def _compiled_timestamps_on(cursor) -> None:
    """On this psycopg cursor only, read timestamps with the compiled loader
    itself, when it gives the time zone Django's would (the connection's UTC).

    Django checks the loader's time zone only when it makes a cursor, so a
    cursor's own loader need not be Django's: a Python call less per timestamp
    than _compiled_timestamps, a tenth of a download.
    """
    adapters = cursor.adapters
    compiled = _compiled_timestamptz_loader(adapters)
    if compiled is None:
        return
    oid = adapters.types["timestamptz"].oid
    sample = compiled(oid, cursor).load(b"2000-01-01 00:00:00+00")
    if sample.tzinfo is connection.timezone:
        adapters.register_loader(oid, compiled)


@contextmanager
def _compiled_timestamps():
    """On PostgreSQL, read timestamps with psycopg's compiled loader meanwhile.

    Django's timestamptz loader derives from psycopg's pure-Python one (Django
    ticket #36960): parsing two timestamps a row cost a third of a download. The
    compiled loader cannot be subclassed, so ours calls it and then does what
    Django's does (set the connection's time zone). The connection is this
    thread's own, and Django's loader is back before anything else uses it.
    """
    connection.ensure_connection()
    adapters = getattr(connection.connection, "adapters", None)
    if connection.vendor != "postgresql" or adapters is None:
        yield
        return
    from psycopg.pq import Format

    oid = adapters.types["timestamptz"].oid
    django_loader = adapters.get_loader(oid, Format.TEXT)
    compiled = _compiled_timestamptz_loader(adapters)
    if compiled is None or not hasattr(django_loader, "timezone"):
        yield  # no C extension, or not Django's loader: leave it alone
        return

    class CompiledTzLoader(django_loader):
        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._load = compiled(oid, context).load

        def load(self, data):
            value = self._load(data)
            if value.tzinfo is self.timezone:
                return value
            return value.replace(tzinfo=self.timezone)

    adapters.register_loader(oid, CompiledTzLoader)
    try:
        yield
    finally:
        adapters.register_loader(oid, django_loader)


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def csv_quote(text: str, sep: str = ",") -> str:
    """RFC 4180: a cell holding the separator, a quote or a line break goes in
    quotes, its quotes doubled (what csv.writer does with QUOTE_MINIMAL)."""
    if '"' in text or sep in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_cells(sep: str) -> tuple[Callable[[Any], str], dict[str, Callable]]:
    """How a value becomes a quoted CSV cell with this separator: csv_cell and
    then what csv.writer does, with the type checks done once per column, and
    without the writer, which cost more than the rest of a row together."""

    def any_cell(value: Any) -> str:
        cell = csv_cell(value)
        return csv_quote(cell if cell.__class__ is str else str(cell), sep)

    def integer_cell(value: Any) -> str:
        if value is None:
            return ""
        return str(value) if value.__class__ is int else any_cell(value)

    def text_cell(value: Any) -> str:
        if value.__class__ is not str:
            return any_cell(value)
        if value[:1] in _FORMULA_FIRST:
            value = "'" + value
        # csv_quote, inline: a function call costs as much as the checks.
        if '"' in value or sep in value or "\n" in value or "\r" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    def datetime_cell(value: Any) -> str:
        if value.__class__ is datetime:
            return iso_time(value)
        return any_cell(value)

    return any_cell, {INTEGER: integer_cell, STRING: text_cell, DATETIME: datetime_cell}


_CSV_CELLS = {sep: _csv_cells(sep) for sep in (",", ";")}
_any_cell, CSV_CELL_BY_TYPE = _CSV_CELLS[","]


def value_rows(dataset: Dataset, objects: Iterable[Any]) -> Iterator[list[Any]]:
    """Each row's column values in column order, as Dataset.row gives them for a
    public row (downloads carry no tombstones)."""
    getters = [column.get for column in dataset.columns]
    for obj in objects:
        yield [get(obj) for get in getters]


def iter_csv(
    dataset: Dataset, objects: Iterable[Any], *, sep: str = ",", bom: bool = False
) -> Iterator[bytes]:
    """UTF-8 CSV, RFC 4180 (CRLF line ends), a header row first.

    With `sep=";"` and `bom=True` the Excel variant: Excel in Finnish and Swedish
    locales (decimal comma) splits at semicolons, and reads UTF-8 only after a
    byte-order mark.
    """
    any_cell, by_type = _CSV_CELLS[sep]
    cells = [
        (column.get, by_type.get(column.type, any_cell)) for column in dataset.columns
    ]
    lines = [sep.join(csv_quote(name, sep) for name in dataset.column_names)]
    prefix = "\ufeff" if bom else ""
    for obj in objects:
        lines.append(sep.join([cell(get(obj)) for get, cell in cells]))
        if len(lines) >= YIELD_ROWS:
            yield (prefix + "\r\n".join(lines) + "\r\n").encode("utf-8")
            lines, prefix = [], ""
    if lines or prefix:
        yield (prefix + "\r\n".join(lines) + "\r\n").encode("utf-8")


def iter_excel_csv(dataset: Dataset, objects: Iterable[Any]) -> Iterator[bytes]:
    """The CSV for Excel: a byte-order mark, `;` between cells, CRLF, the same
    rows, cells and formula guard as the plain CSV."""
    return iter_csv(dataset, objects, sep=";", bom=True)


def _json_line(row: dict[str, Any]) -> bytes:
    """One row as compact UTF-8 JSON, times as json_value writes them."""
    return orjson.dumps(row, default=json_value, option=orjson.OPT_UTC_Z)


def iter_jsonl(dataset: Dataset, objects: Iterable[Any]) -> Iterator[bytes]:
    names = dataset.column_names
    lines = []
    for values in value_rows(dataset, objects):
        lines.append(_json_line(dict(zip(names, values, strict=True))))
        if len(lines) >= YIELD_ROWS:
            yield b"\n".join(lines) + b"\n"
            lines = []
    if lines:
        yield b"\n".join(lines) + b"\n"


ARROW_TYPES = {
    INTEGER: pa.int64(),
    DATETIME: pa.timestamp("us", tz="UTC"),
    BOOLEAN: pa.bool_(),
    NUMBER: pa.float64(),
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

    def flush(batch: list[list]) -> None:
        columns = dict(zip(names, map(list, zip(*batch, strict=True)), strict=True))
        writer.write_table(pa.table(columns, schema=schema))

    batch: list[list] = []
    for values in value_rows(dataset, objects):
        batch.append(values)
        if len(batch) >= PARQUET_ROW_GROUP:
            flush(batch)
            batch = []
            yield sink.take()
    if batch:
        flush(batch)
    writer.close()
    yield sink.take()


def encoded(
    dataset: Dataset, fmt: str, computed: list | None = None
) -> Iterator[bytes]:
    """A dataset in one format: `computed` rows of an aggregate, else its public
    rows; CSV on PostgreSQL written by COPY when the dataset declares how."""
    if computed is None and fmt in ("csv", EXCEL_CSV) and copy_csv.available(dataset):
        if fmt == EXCEL_CSV:
            return copy_csv.iter_copy_csv(dataset, sep=";", bom=True)
        return copy_csv.iter_copy_csv(dataset)
    _, encode = FORMATS[fmt]
    return encode(dataset, rows(dataset) if computed is None else computed)


FORMATS = {
    "csv": ("text/csv; charset=utf-8", iter_csv),
    "jsonl": ("application/jsonl; charset=utf-8", iter_jsonl),
    "parquet": ("application/vnd.apache.parquet", iter_parquet),
    # <dataset>.excel.csv: its own URL and file, so that a link or a saved file
    # opens right in a spreadsheet.
    EXCEL_CSV: ("text/csv; charset=utf-8", iter_excel_csv),
}
