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

Pseudonyms need the key, which must never enter SQL or its logs: the authors are
read first, their pseudonyms computed in Python by the same function as
everywhere, copied into a table no other session sees (made and dropped in this
transaction) and joined.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction

from opendata.datasets import (
    ARRAY,
    AUTHOR,
    CREATED_AT_HOUR,
    DATETIME,
    NUMBER,
    STRING,
    Dataset,
)
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
# created_at rounded down to the hour has no seconds to trim: a plainer to_char.
_HOUR = "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24\":00:00Z\"')"
# A float as Python's str() writes it: both give the shortest exact digits, but
# Python keeps ".0" on a whole number (coordinates lie within ±180: no exponents).
_NUMBER = "CASE WHEN {0} = trunc({0}) THEN {0}::text || '.0' ELSE {0}::text END"
# The pseudonym is never empty, and base32 or `removed`: never a formula.
_AUTHOR = f"COALESCE(pu.pseudonym, pa.pseudonym, '{REMOVED}')"


def available(dataset: Dataset) -> bool:
    return connection.vendor == "postgresql" and bool(dataset.copy_fields)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text(expression: str, *, guard: bool = True) -> str:
    """A text cell: empty for null and '' (COPY would quote ''), with the
    formula guard unless the column's values cannot start with a formula."""
    if not guard:
        return f"NULLIF({expression}, '')"
    return (
        f"CASE WHEN {_GUARD.format(expression)} THEN '''' || {expression}"
        f" ELSE NULLIF({expression}, '') END"
    )


def _field(spec: str | tuple[str, dict[str, str]]) -> str:
    return spec if isinstance(spec, str) else spec[0]


def fields(dataset: Dataset) -> list[str]:
    """What COPY reads of each row, each once: the order's fields, the columns'
    and the author references."""
    names = ["pk", "updated_at"]
    names += [_field(spec) for spec in dataset.copy_fields.values()]
    if _authored(dataset):
        names += list(dataset.copy_authors)
    return list(dict.fromkeys(names))


def _authored(dataset: Dataset) -> bool:
    """Whether the dataset has the pseudonym column (every one is `author`)."""
    return AUTHOR.name in dataset.column_names


def _select(dataset: Dataset, alias: dict[str, str]) -> list[str]:
    """Each column of the dataset as the SQL of its CSV cell."""
    cells = []
    for column in dataset.columns:
        if column.name == AUTHOR.name:
            cells.append(_AUTHOR)
            continue
        spec = dataset.copy_fields[column.name]
        expression = f"q.{alias[_field(spec)]}"
        if not isinstance(spec, str):
            whens = " ".join(
                f"WHEN {_quote(key)} THEN {_quote(shown)}"
                for key, shown in spec[1].items()
            )
            expression = f"(CASE {expression} {whens} ELSE {expression} END)"
        if column.type in (STRING, ARRAY):
            guard = column.name not in dataset.copy_unguarded
            cells.append(_text(f"{expression}::text", guard=guard))
        elif column is CREATED_AT_HOUR:
            cells.append(_HOUR.format(expression))
        elif column.type == DATETIME:
            cells.append(_TIME.format(expression))
        elif column.type == NUMBER:
            cells.append(_NUMBER.format(expression))
        else:
            cells.append(f"{expression}::text")
    return cells


def _author_join(dataset: Dataset, alias: dict[str, str], tables: tuple) -> str:
    """Pseudonyms by user id, else by anonymous key: joins on ids, no keys built."""
    user_field, key_field = dataset.copy_authors
    user, anonymous = f"q.{alias[user_field]}", f"q.{alias[key_field]}"
    users, keys = tables
    return (
        f" LEFT JOIN {users} pu ON pu.user_id = {user}"
        f" LEFT JOIN {keys} pa ON {user} IS NULL AND pa.anonymous_key = {anonymous}"
    )


def iter_copy_csv(
    dataset: Dataset, *, sep: str = ",", bom: bool = False
) -> Iterator[bytes]:
    """The dataset's public rows as CSV, streamed from PostgreSQL in chunks."""
    header = sep.join(
        f'"{name}"' if sep in name or '"' in name else name
        for name in dataset.column_names
    )
    yield (("\ufeff" if bom else "") + header + "\r\n").encode("utf-8")
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own: COPY needs it
        with copy_statement(dataset, cursor, sep=sep) as statement:
            if statement is None:
                return
            with cursor.copy(*statement) as copy:
                lines: list[bytes] = []
                # One row a message, ending with LF; the dialect's CRLF instead.
                # (A loop doing this little per row costs less than one taking
                # rows as fast as it can: that one waits on the socket for nearly
                # every row, three times the CPU.)
                for row in copy:
                    lines.append(bytes(row)[:-1])
                    if len(lines) >= COPY_ROWS:
                        yield b"\r\n".join(lines) + b"\r\n"
                        lines = []
                if lines:
                    yield b"\r\n".join(lines) + b"\r\n"


@contextmanager
def copy_statement(
    dataset: Dataset, cursor, *, sep: str = ","
) -> Iterator[tuple[str, list] | None]:
    """The `COPY (SELECT …) TO STDOUT` of the dataset's public rows (without the
    header) and its parameters, or None when no row can match.

    Runs inside a transaction on `cursor`, a psycopg cursor: the pseudonym
    tables it joins are made first and dropped when the block ends. Also what
    `bench/opendata.py` runs directly as the floor the download is measured on.
    """
    names = fields(dataset)
    alias = {name: f"c{i}" for i, name in enumerate(names)}
    queryset = dataset.queryset().order_by()
    if dataset.copy_annotations is not None:
        queryset = queryset.annotate(**dataset.copy_annotations())
    try:
        inner, params = queryset.values_list(*names).query.sql_with_params()
    except EmptyResultSet:
        yield None
        return
    source = f"({inner}) AS q({', '.join(alias.values())})"
    join, tables = "", ()
    if _authored(dataset):
        tables = _load_pseudonyms(cursor, dataset)
        join = _author_join(dataset, alias, tables)
    # The Python path's order (formats.rows).
    order = f"q.{alias['updated_at']}, q.{alias['pk']}"
    # Built from our own aliases, SQL of the dataset's declaration and quoted
    # constants; values travel as parameters.
    cells = ", ".join(_select(dataset, alias))
    sql = (
        f"COPY (SELECT {cells} FROM {source}{join} ORDER BY {order})"  # noqa: S608
        f" TO STDOUT WITH (FORMAT csv, DELIMITER {_quote(sep)})"
    )
    yield sql, list(params)
    if tables:
        # Never committed: made and dropped in this transaction (an error or a
        # download cut short rolls it back, and them with it).
        cursor.execute(f"DROP TABLE {', '.join(tables)}")


def _load_pseudonyms(cursor, dataset: Dataset) -> tuple[str, str]:
    """Pseudonyms of the dataset's authors, into two tables of this transaction;
    their names.

    Unlogged tables made in this transaction, not temporary ones: no other
    session sees them before a commit that never comes, and unlike a temporary
    table they let PostgreSQL run the export's query in parallel, as it runs the
    served query (a third faster on two cores).

    The authors come from the whole base table, one DISTINCT a column, not from
    the export's query: several times cheaper (no joins, no filter), and the
    pseudonym of an author the export leaves out is an unused row of a table
    nobody else can read.
    """
    suffix = uuid.uuid4().hex
    users, keys = f"od_user_pseudonym_{suffix}", f"od_anonymous_pseudonym_{suffix}"
    for table, key in ((users, "user_id bigint"), (keys, "anonymous_key uuid")):
        cursor.execute(
            f"CREATE UNLOGGED TABLE {table} "
            f"({key} PRIMARY KEY, pseudonym text NOT NULL)"
        )
    user_field, key_field = dataset.copy_authors
    every = dataset.base_queryset().model._base_manager.order_by()
    user_ids = _distinct(cursor, every, user_field)
    anonymous = _distinct(
        cursor, every.filter(**{f"{user_field}__isnull": True}), key_field
    )
    for table, rows in (
        (users, ((u, pseudonym(user_id=u)) for u in user_ids)),
        (keys, ((k, pseudonym(anonymous_key=k)) for k in anonymous)),
    ):
        with cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"ANALYZE {table}")
    return users, keys


def _distinct(cursor, queryset, name: str) -> list:
    """The distinct values of one field but null, read on the psycopg cursor."""
    values = queryset.filter(**{f"{name}__isnull": False}).values_list(name)
    sql, params = values.distinct().query.sql_with_params()
    cursor.execute(sql, params)
    return [value for (value,) in cursor.fetchall()]
