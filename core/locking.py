"""The one way to lock rows before changing them: lock, then re-read and re-check.

A check made before the lock may be stale by the time the lock is granted (two
people joining the last free place both saw it free). So a service locks the rows
with `lock_rows`, which hands back the rows as they are *now*, and checks again on
those. Keys are locked in a sorted order so two transactions locking the same rows
cannot deadlock, and on PostgreSQL a lock wait gives up after `LOCK_TIMEOUT_MS`
instead of piling up connections. SQLite serialises writers itself: there the
SELECT … FOR UPDATE is plain SELECT and no timeout is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import connections, models

# How long a row lock is waited for before the transaction fails (PostgreSQL).
LOCK_TIMEOUT_MS = 5000

M = TypeVar("M", bound=models.Model)


class LockOutsideTransaction(RuntimeError):
    """A lock taken outside `transaction.atomic` would be released at once."""


def lock_rows(
    queryset: models.QuerySet[M] | type[M],
    keys: Iterable[int] | None = None,
    *,
    timeout_ms: int = LOCK_TIMEOUT_MS,
) -> dict[int, M]:
    """Lock the rows with these primary keys, in key order; the fresh rows by key.

    Rows that do not exist are absent from the answer. `keys` None locks every row
    `queryset` selects (a filter, such as a workshop's boards). `queryset` may
    narrow the rows (`select_related` is locked too on PostgreSQL, so prefer
    plain rows).
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    connection = connections[queryset.db]
    if not connection.in_atomic_block:
        raise LockOutsideTransaction("lock_rows must run inside transaction.atomic")
    if keys is not None:
        ordered = sorted(set(keys))
        if not ordered:
            return {}
        queryset = queryset.filter(pk__in=ordered)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET LOCAL lasts until this transaction ends; the value cannot be a
            # bind parameter, hence the int() instead.
            cursor.execute(f"SET LOCAL lock_timeout = {int(timeout_ms)}")
    rows = queryset.select_for_update().order_by("pk")
    return {row.pk: row for row in rows}


def lock_row(
    queryset: models.QuerySet[M] | type[M],
    key: int,
    *,
    timeout_ms: int = LOCK_TIMEOUT_MS,
) -> M | None:
    """Lock one row and return it as it is now, or None when it is gone."""
    return lock_rows(queryset, [key], timeout_ms=timeout_ms).get(key)
