"""Keyset cursors: a page's last position, `(value, id)`, as an opaque URL token.

Lists ordered by `(value, id)` (comments by date or likes, dreams by date, support
or trend) page with `WHERE (value, id) < position` instead of OFFSET, so a deep page
costs what the first does. The position travels in the query string, so it is
untrusted input: `cursor_decode` returns None for anything that is not a cursor
this module made for the expected kind of value (malformed, tampered with, too
long, out of the database's integer range, the wrong type), and the caller shows
the first page. It never raises.

The token is URL-safe base64 of the JSON `[value, id]` (datetimes as ISO 8601), the
format both lists used before, so cursors in old links keep working.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import datetime

# A cursor is a few dozen characters; anything much longer is not one of ours.
MAX_CURSOR_LENGTH = 512
MAX_STRING_LENGTH = 255
# Values must fit PostgreSQL's bigint, or the query itself would fail.
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")

CursorValue = datetime | int | str


def cursor_encode(value: CursorValue, pk: int) -> str:
    """The token for the position `(value, pk)`; `value` of one of the kinds
    `cursor_decode` accepts (an aware datetime, an int or a short string)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a cursor's datetime must be timezone-aware")
        value = value.isoformat()
    elif isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"a cursor cannot hold {type(value).__name__}")
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise TypeError("a cursor's id must be an int")
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(
    cursor: str, *, kind: type[datetime] | type[int] | type[str]
) -> tuple[CursorValue, int] | None:
    """`(value, pk)` from `cursor` with `value` of type `kind`, or None when
    `cursor` is empty or not a valid cursor for that kind."""
    if not isinstance(cursor, str) or not cursor:
        return None
    if len(cursor) > MAX_CURSOR_LENGTH or not _ALPHABET.fullmatch(cursor):
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, list) or len(data) != 2:
        return None
    value, pk = data
    if not _is_int(pk):
        return None
    if kind is datetime:
        value = _aware_datetime(value)
    elif kind is int:
        value = value if _is_int(value) else None
    elif kind is str:
        ok = isinstance(value, str) and len(value) <= MAX_STRING_LENGTH
        value = value if ok else None
    else:
        raise TypeError(f"no cursor kind {kind!r}")
    if value is None:
        return None
    return value, pk


def _is_int(value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and INT_MIN <= value <= INT_MAX
    )


def _aware_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # A naive datetime was not made here (the database's are aware).
    return parsed if parsed.tzinfo is not None else None
