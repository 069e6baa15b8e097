"""CSV downloads written by PostgreSQL itself: `COPY (SELECT …) TO STDOUT`.

The one CSV dialect, which this path and the Python one (formats.iter_csv) both
write, cell for cell:

- UTF-8, a header row, CRLF after every row; a line break inside a cell stays as
  it was typed (inside quotes).
- A cell holding the separator, `"`, CR or LF is quoted, its quotes doubled.
- Null and the empty string are both an empty, unquoted cell.
- Times are UTC in RFC 3339, `Z` for the zone, microseconds only when there are
  any: `2026-03-01T12:30:05.000123Z`, `2026-03-01T12:00:00Z`.
- A text cell starting with =, +, -, @, tab or CR gets a leading `'` (the formula
  guard), done here in SQL.
- PostgreSQL also quotes a cell that is exactly `\\.`; parsed, it is the same cell.

Pseudonyms need the key, which must never enter SQL or its logs: the export's
distinct authors are read first, their pseudonyms computed in Python by the same
function as everywhere, copied into a temporary table of this transaction and
joined.
"""

from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction

from opendata.datasets import AUTHOR, DATETIME, STRING, Dataset
from opendata.pseudonyms import REMOVED, pseudonym

COPY_ROWS = 2000  # rows of CSV per chunk handed to the server

# The first character's code (0 for ''): =, +, -, @, tab, CR.
_GUARD = "ascii({0}) IN (61, 43, 45, 64, 9, 13)"
# A time as iso_time writes it: microseconds only when there are any (one
# to_char a cell; `.000000Z` can only be the end of it).
_TIME = (
    "replace(to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " '.000000Z', 'Z')"
)


def available(dataset: Dataset) -> bool:
    return connection.vendor == "postgresql" and bool(dataset.copy_fields)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text(expression: str) -> str:
    """A text cell: empty for null and '', the formula guard applied."""
    return (
        f"CASE WHEN {_GUARD.format(expression)} THEN '''' || {expression}"
        f" ELSE NULLIF({expression}, '') END"
    )


def _select(dataset: Dataset, alias: dict[str, str]) -> list[str]:
    """Each column of the dataset as the SQL of its CSV cell."""
    cells = []
    for column in dataset.columns:
        if column is AUTHOR:
            pseudonyms = f"COALESCE(pu.pseudonym, pa.pseudonym, {_quote(REMOVED)})"
            cells.append(_text(pseudonyms))
            continue
        source = dataset.copy_fields[column.name]
        mapping = None
        if isinstance(source, tuple):
            source, mapping = source
        expression = f"q.{alias[source]}"
        if mapping:
            whens = " ".join(
                f"WHEN {_quote(key)} THEN {_quote(shown)}"
                for key, shown in mapping.items()
            )
            expression = f"(CASE {expression} {whens} ELSE {expression} END)"
        if column.type == STRING:
            cells.append(_text(f"{expression}::text"))
        elif column.type == DATETIME:
            cells.append(_TIME.format(expression))
        else:
            cells.append(f"{expression}::text")
    return cells


def _author_join(alias: dict[str, str]) -> str:
    """Pseudonyms by user id, else by anonymous key: joins on ids, no keys built."""
    user, anonymous = f"q.{alias['author_id']}", f"q.{alias['anonymous_key']}"
    return (
        f" LEFT JOIN od_user_pseudonym pu ON pu.user_id = {user}"
        f" LEFT JOIN od_anonymous_pseudonym pa"
        f" ON {user} IS NULL AND pa.anonymous_key = {anonymous}"
    )


def iter_copy_csv(
    dataset: Dataset, *, sep: str = ",", bom: bool = False
) -> Iterator[bytes]:
    """The dataset's public rows as CSV, streamed from PostgreSQL in chunks."""
    names = list(dataset.flat_fields)
    alias = {name: f"c{i}" for i, name in enumerate(names)}
    queryset = dataset.queryset().order_by().values_list(*names)
    header = sep.join(
        f'"{name}"' if sep in name or '"' in name else name
        for name in dataset.column_names
    )
    yield (("\ufeff" if bom else "") + header + "\r\n").encode("utf-8")
    try:
        inner, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own: COPY needs it
        source = f"({inner}) AS q({', '.join(alias.values())})"
        join = ""
        if any(column is AUTHOR for column in dataset.columns):
            _load_pseudonyms(cursor, source, params, alias)
            join = _author_join(alias)
        order = f"q.{alias['updated_at']}, q.{alias['pk']}"
        # Built from our own aliases, SQL of the dataset's declaration and quoted
        # constants; values travel as parameters.
        cells = ", ".join(_select(dataset, alias))
        sql = (
            f"COPY (SELECT {cells} FROM {source}{join} ORDER BY {order})"  # noqa: S608
            f" TO STDOUT WITH (FORMAT csv, DELIMITER {_quote(sep)})"
        )
        with cursor.copy(sql, params) as copy:
            lines: list[bytes] = []
            for row in copy:
                # COPY ends rows with LF; the dialect's CRLF (one message a row).
                lines.append(bytes(row)[:-1])
                if len(lines) >= COPY_ROWS:
                    yield b"\r\n".join(lines) + b"\r\n"
                    lines = []
            if lines:
                yield b"\r\n".join(lines) + b"\r\n"


def _load_pseudonyms(cursor, source: str, params, alias: dict[str, str]) -> None:
    """Pseudonyms of the export's distinct authors, into temporary tables."""
    for table, key in (
        ("od_user_pseudonym", "user_id bigint"),
        ("od_anonymous_pseudonym", "anonymous_key uuid"),
    ):
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} "
            f"({key} PRIMARY KEY, pseudonym text NOT NULL) ON COMMIT DROP"
        )
        # Inside an outer transaction (a test's) the table outlives the export.
        cursor.execute(f"TRUNCATE {table}")
    # Our own aliases and the ORM's query, as above.
    authors = f"q.{alias['author_id']}, q.{alias['anonymous_key']}"
    cursor.execute(f"SELECT DISTINCT {authors} FROM {source}", params)  # noqa: S608
    users, anonymous = [], []
    for user_id, anonymous_key in cursor.fetchall():
        if user_id is not None:
            users.append((user_id, pseudonym(user_id=user_id)))
        elif anonymous_key is not None:
            anonymous.append((anonymous_key, pseudonym(anonymous_key=anonymous_key)))
    for table, rows in (
        ("od_user_pseudonym", users),
        ("od_anonymous_pseudonym", anonymous),
    ):
        with cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"ANALYZE {table}")
