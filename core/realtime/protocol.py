"""The envelope every realtime protocol shares: frames, ops, errors.

Client frames are JSON objects with a `type`; changes also carry `op`, a
client-made id the server applies once. Errors answer `{type: "error", code, op?,
message, …}` with one of the codes below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

# Error codes of the protocols.
INVALID = "invalid"
FORBIDDEN = "forbidden"
CONFLICT = "conflict"
LOCKED = "locked"
RATE_LIMITED = "rate_limited"
TOO_LARGE = "too_large"
NOT_FOUND = "not_found"

OP_MAX = 64
# An op is echoed to every participant: letters, digits and a few separators only.
OP_PATTERN = re.compile(rf"[A-Za-z0-9_.:-]{{1,{OP_MAX}}}")
# Client frames are flat objects; anything nested deeper is not a message (and
# deep enough nesting would exhaust Python's recursion while decoding).
MAX_DEPTH = 4


class ProtocolError(Exception):
    """A refused client message, answered as an `error` frame."""

    def __init__(self, code: str, message: str, *, op: str | None = None, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.op = op
        self.extra = extra

    def as_message(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": "error", "code": self.code}
        if self.op:
            body["op"] = self.op
        body["message"] = self.message
        body.update(self.extra)
        return body


@dataclass(frozen=True)
class Message:
    """One validated client message; `fields` are checked and typed."""

    type: str
    op: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


def is_int(value: Any) -> bool:
    """A JSON integer (JSON's true and false are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def decode_frame(raw: str | bytes | None, *, max_bytes: int) -> dict[str, Any]:
    """One client frame as a JSON object with a string `type`, or ProtocolError."""
    if raw is None:
        raise ProtocolError(INVALID, "Send JSON text frames.")
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > max_bytes:
        raise ProtocolError(TOO_LARGE, f"Messages are at most {max_bytes} bytes.")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError(INVALID, "Not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ProtocolError(INVALID, "A message is an object with a `type`.")
    _check_values(data, depth=1)
    return data


def _check_values(value: Any, *, depth: int) -> None:
    """Refuse what no field accepts and what would crash later: deep nesting, text
    that is not valid Unicode (a lone surrogate cannot be stored or sent), NUL."""
    if depth > MAX_DEPTH:
        raise ProtocolError(INVALID, "A message is a flat object.")
    if isinstance(value, str):
        if "\x00" in value:
            raise ProtocolError(INVALID, "Text cannot contain NUL characters.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ProtocolError(INVALID, "Text must be valid Unicode.") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_values(key, depth=depth)
            _check_values(item, depth=depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_values(item, depth=depth + 1)


def parse_control(data: dict[str, Any]) -> Message | None:
    """`ping` and `hello {last_seq}` (absent or null = 0); None for anything else."""
    kind = data["type"]
    if kind == "ping":
        return Message(type="ping")
    if kind == "hello":
        last_seq = data.get("last_seq", 0)
        if last_seq is None:
            last_seq = 0
        if not is_int(last_seq) or last_seq < 0:
            raise ProtocolError(INVALID, "last_seq: must be a non-negative integer")
        return Message(type="hello", fields={"last_seq": last_seq})
    return None


def parse_op(data: dict[str, Any]) -> str:
    """The change's `op`: a client-made id of 1–OP_MAX letters, digits and `_.:-`."""
    op = data.get("op")
    if not isinstance(op, str) or not OP_PATTERN.fullmatch(op):
        raise ProtocolError(
            INVALID,
            f"op: a client-made id of 1–{OP_MAX} letters, digits, '_', '.', ':' or '-'",
        )
    return op


# --- A message's fields: each protocol names its fields' kinds and checkers -------

# `checker(name, value, op)` returns the value as the service takes it, or raises.
Checker = Callable[[str, Any, str], Any]


def invalid(name: str, message: str, op: str) -> ProtocolError:
    return ProtocolError(INVALID, f"{name}: {message}", op=op or None)


def positive_id(name: str, value: Any, op: str) -> int:
    if not is_int(value) or value <= 0:
        raise invalid(name, "must be a positive integer id", op)
    return value


def boolean(name: str, value: Any, op: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(name, "must be true or false", op)
    return value


def text(limit: int, *, required: bool = True) -> Checker:
    """Text of at most `limit` characters (`too_large` beyond), non-blank if
    `required`."""

    def check(name: str, value: Any, op: str) -> str:
        if not isinstance(value, str) or (required and not value.strip()):
            raise invalid(name, "must be non-empty text", op)
        if len(value) > limit:
            raise ProtocolError(
                TOO_LARGE, f"{name}: at most {limit} characters", op=op or None
            )
        return value

    return check


def int_range(low: int, high: int, message: str = "") -> Checker:
    def check(name: str, value: Any, op: str) -> int:
        if not is_int(value) or not low <= value <= high:
            raise invalid(name, message or f"must be {low}–{high}", op)
        return value

    return check


def one_of(values: Collection[str], message: str = "") -> Checker:
    def check(name: str, value: Any, op: str) -> str:
        if value not in values:
            raise invalid(name, message or f"must be one of {', '.join(values)}", op)
        return value

    return check


def parse_fields(
    spec: dict[str, str],
    data: dict[str, Any],
    op: str,
    checkers: dict[str, Checker],
    *,
    nullable: Collection[str] = (),
    required_hints: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Check a message's fields by its `spec` (name -> kind, a trailing "?" for an
    optional one). An optional field that is null counts as absent, unless its
    kind is `nullable` (its checker then takes the null)."""
    fields: dict[str, Any] = {}
    for name, kind in spec.items():
        optional = kind.endswith("?")
        kind = kind.rstrip("?")
        if name not in data:
            if optional:
                continue
            hint = (required_hints or {}).get(kind, "required")
            raise invalid(name, hint, op)
        if optional and data[name] is None and kind not in nullable:
            continue
        fields[name] = checkers[kind](name, data[name], op)
    return fields


def event_message(seq: int, payload: dict[str, Any], op: str = "") -> dict[str, Any]:
    """The `event {seq, event, op?}` frame of one logged event."""
    message: dict[str, Any] = {"type": "event", "seq": seq, "event": payload}
    if op:
        message["op"] = op
    return message
