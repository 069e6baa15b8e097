"""The newest rows matching a lemma query, found cheaply for common and rare words.

A search ranks a bounded set of candidates: the newest `limit` matches (by a
date, then the primary key, both descending). Which rows those are does not
depend on how they are found; how fast they are found does:

- A common word is in most rows: walking the rows newest first (a btree on the
  date and the key) and testing each row's stored vector stops after a few
  hundred rows. Through the GIN index instead, every match (hundreds of
  thousands) is read from the heap before the newest are known: seconds.
- A rare word is in few rows: the GIN index finds them at once, and the walk
  would read the whole table.

PostgreSQL cannot tell the two apart before it runs the query: it does not
estimate a prefix match (`'bussi':*`) from the vector's statistics, and guesses
a few per cent for a rare and a common word alike. So the choice is made here,
from what the walk sees: `newest_matching_ids` first walks `WALK_FIRST` rows;
if their hit rate says the walk will reach `limit` matches within
`WALK_BUDGET` rows, it walks on (from where it stopped, by keyset), otherwise
(or if the walk still falls short) it asks the GIN index for every match and
keeps the newest. A walk that reaches the end of the rows is complete as it is
(small tables never reach the index).

On SQLite there is no index to choose: one query, ordered and cut.
"""

from __future__ import annotations

import math

from django.db import connections, models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from core.text.search import Query, lemma_match, matching

# Rows walked before the hit rate decides: a word in a quarter of the rows is
# done here.
WALK_FIRST = 2000
# Rows a walk may read in all before the GIN index is cheaper (a walked row
# costs a few microseconds; a GIN match read from the heap several times more).
WALK_BUDGET = 40_000
# The walk goes a little past the rows the hit rate says it needs, and each
# further walk at least doubles the rows walked (so a search stays a few
# queries even where the hit rate falls with age).
WALK_MARGIN = 1.25


def newest_matching_ids(
    queryset: models.QuerySet,
    query: Query,
    *,
    date_field: str,
    limit: int,
    field: str = "search_terms",
) -> list[int]:
    """The primary keys of the newest `limit` rows of `queryset` matching every
    word of `query`, newest first (by `date_field`, then the key)."""
    if not query:
        return []
    order = (f"-{date_field}", "-pk")
    if connections[queryset.db].vendor != "postgresql":
        matches = matching(queryset, query, field=field).order_by(*order)
        return list(matches.values_list("pk", flat=True)[:limit])
    found: list[int] = []
    walked, rows, after = 0, WALK_FIRST, None
    while walked < WALK_BUDGET:
        hits, boundary = _walk(
            queryset, query, field, date_field, after, rows, limit - len(found)
        )
        found.extend(hits[: limit - len(found)])
        walked += rows
        if len(found) >= limit or boundary is None:
            return found
        # Rows still to walk at the hit rate seen so far; none seen: a rare word.
        needed = (
            (limit - len(found)) * walked / len(found) * WALK_MARGIN
            if found
            else math.inf
        )
        if walked + needed > WALK_BUDGET:
            break
        rows = min(WALK_BUDGET - walked, max(math.ceil(needed), walked))
        after = boundary
    return _newest_by_index(queryset, query, field, date_field, limit)


def _walk(
    queryset: models.QuerySet,
    query: Query,
    field: str,
    date_field: str,
    after: tuple | None,
    rows: int,
    limit: int,
) -> tuple[list[int], tuple | None]:
    """The matches among the next `rows` rows, newest first, after the row
    `after` ((date, key) or None for the newest), up to `limit` of them; and the
    last row walked as (date, key), None when the rows ran out first.

    The walk is one statement that PostgreSQL stops at the `limit`th match: the
    inner query reads rows in the order of the date index and tests each row's
    stored vector; the outer one keeps the matches and the `rows`th row."""
    if after is not None:
        date, key = after
        queryset = queryset.filter(**{f"{date_field}__lte": date}).filter(
            Q(**{f"{date_field}__lt": date}) | Q(**{date_field: date, "pk__lt": key})
        )
    order = (F(date_field).desc(), F("pk").desc())
    walk = (
        queryset.annotate(
            _hit=lemma_match(query, field=field),
            _position=Window(RowNumber(), order_by=order),
        )
        .order_by(*order)
        .values_list("pk", date_field, "_hit", "_position")[:rows]
    )
    sql, params = walk.query.sql_with_params()
    # Only the last row's date is wanted (where the next walk starts).
    keep = "SELECT id, hit, CASE WHEN position = %s THEN date END"
    where = "WHERE walk.hit OR walk.position = %s LIMIT %s"
    outer = f"{keep} FROM ({sql}) AS walk (id, date, hit, position) {where}"  # noqa: S608
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(outer, (rows, *params, rows, limit + 1))
        found = cursor.fetchall()
    hits = [key for key, hit, _date in found if hit]
    last = [(date, key) for key, _hit, date in found if date is not None]
    return hits, (last[0] if last else None)


def _newest_by_index(
    queryset: models.QuerySet, query: Query, field: str, date_field: str, limit: int
) -> list[int]:
    """Every match through the GIN index, then the newest `limit` of them.

    `OFFSET 0` keeps the match a query of its own, planned without the order and
    limit: otherwise PostgreSQL, which misjudges a prefix match, may walk the
    date index for a rare word through the whole table."""
    found = matching(queryset, query, field=field).order_by()
    sql, params = found.values_list("pk", date_field).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM ({sql} OFFSET 0) AS found (id, date) "  # noqa: S608 - Django compiled it
            "ORDER BY date DESC, id DESC LIMIT %s",
            (*params, limit),
        )
        return [key for (key,) in cursor.fetchall()]
