"""The envelope every realtime protocol shares: frames, ops, errors.

Client frames are JSON objects with a `type`; changes also carry `op`, a
client-made id the server applies once. Errors answer `{type: "error", code, op?,
message, …}` with one of the codes below.
"""

from __future__ import annotations

import json
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
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError(INVALID, "Not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ProtocolError(INVALID, "A message is an object with a `type`.")
    return data


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
    """The change's `op`: a client-made id of 1–OP_MAX characters."""
    op = data.get("op")
    if not isinstance(op, str) or not op or len(op) > OP_MAX:
        raise ProtocolError(INVALID, f"op: a client-made id of 1–{OP_MAX} characters")
    return op


def event_message(seq: int, payload: dict[str, Any], op: str = "") -> dict[str, Any]:
    """The `event {seq, event, op?}` frame of one logged event."""
    message: dict[str, Any] = {"type": "event", "seq": seq, "event": payload}
    if op:
        message["op"] = op
    return message
