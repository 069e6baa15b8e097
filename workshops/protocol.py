"""Validation of the board protocol's client messages (see DESIGN.md, Board protocol).

`parse(raw)` turns one WebSocket text frame into a `Message` with checked, typed
fields, or raises `ProtocolError` carrying the error code the client is answered
with. Nothing here touches the database.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from workshops.models import CARD_TEXT_MAX, GROUP_NAME_MAX, Color, Phase

MESSAGE_MAX_BYTES = 8 * 1024
OP_MAX = 64
TIMER_MAX_SECONDS = 4 * 60 * 60
VOTE_BUDGET_MAX = 100

# Error codes of the protocol.
INVALID = "invalid"
FORBIDDEN = "forbidden"
CONFLICT = "conflict"
LOCKED = "locked"
RATE_LIMITED = "rate_limited"
TOO_LARGE = "too_large"
NOT_FOUND = "not_found"

# Message type -> the fields it takes: name -> kind ("int", "id", "text", ...).
# A trailing "?" marks an optional field.
CHANGE_FIELDS: dict[str, dict[str, str]] = {
    "card.add": {"column": "id", "text": "text", "color": "color?"},
    "card.edit": {"card": "id", "text": "text", "version": "int"},
    "card.move": {"card": "id", "column": "id", "position": "int", "version": "int"},
    "card.delete": {"card": "id"},
    "card.group": {"card": "id", "group": "group"},
    "vote.cast": {"card": "id"},
    "vote.retract": {"card": "id"},
    "phase.set": {"phase": "phase"},
    "timer.start": {"seconds": "seconds"},
    "timer.stop": {},
    "board.lock": {},
    "board.unlock": {},
    "board.reveal": {},
    # Extension: a facilitator sets the dot-vote budget of the board or of one
    # participant (`participant` absent or null = the board's default).
    "vote.budget": {"budget": "budget", "participant": "id?"},
}
FACILITATOR_ONLY = frozenset(
    {
        "phase.set",
        "timer.start",
        "timer.stop",
        "board.lock",
        "board.unlock",
        "board.reveal",
        "vote.budget",
    }
)
CONTROL_TYPES = frozenset({"hello", "ping"})


class ProtocolError(Exception):
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
    type: str
    op: str = ""
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def is_change(self) -> bool:
        return self.type in CHANGE_FIELDS


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check(name: str, kind: str, value: Any, op: str) -> Any:
    def bad(message: str) -> ProtocolError:
        return ProtocolError(INVALID, f"{name}: {message}", op=op)

    if kind == "id":
        if not _is_int(value) or value <= 0:
            raise bad("must be a positive integer id")
        return value
    if kind == "int":
        if not _is_int(value) or value < 0:
            raise bad("must be a non-negative integer")
        return value
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise bad("must be non-empty text")
        if len(value) > CARD_TEXT_MAX:
            raise ProtocolError(
                TOO_LARGE, f"{name}: at most {CARD_TEXT_MAX} characters", op=op
            )
        return value
    if kind == "color":
        if value not in Color.values:
            raise bad("unknown colour")
        return value
    if kind == "group":
        if value is None:
            return ""
        if not isinstance(value, str) or len(value) > GROUP_NAME_MAX:
            raise bad(f"must be null or text of at most {GROUP_NAME_MAX} characters")
        return value
    if kind == "phase":
        if value not in Phase.values:
            raise bad("unknown phase")
        return value
    if kind == "seconds":
        if not _is_int(value) or not 1 <= value <= TIMER_MAX_SECONDS:
            raise bad(f"must be 1–{TIMER_MAX_SECONDS} seconds")
        return value
    if kind == "budget":
        if not _is_int(value) or not 0 <= value <= VOTE_BUDGET_MAX:
            raise bad(f"must be 0–{VOTE_BUDGET_MAX}")
        return value
    raise AssertionError(kind)  # pragma: no cover - table above is closed


def parse(raw: str | bytes | None) -> Message:
    """Decode and validate one client frame."""
    if raw is None:
        raise ProtocolError(INVALID, "Send JSON text frames.")
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > MESSAGE_MAX_BYTES:
        raise ProtocolError(
            TOO_LARGE, f"Messages are at most {MESSAGE_MAX_BYTES} bytes."
        )
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError(INVALID, "Not valid JSON.") from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ProtocolError(INVALID, "A message is an object with a `type`.")
    kind = data["type"]
    if kind == "ping":
        return Message(type="ping")
    if kind == "hello":
        last_seq = data.get("last_seq", 0)
        if last_seq is None:
            last_seq = 0
        if not _is_int(last_seq) or last_seq < 0:
            raise ProtocolError(INVALID, "last_seq: must be a non-negative integer")
        return Message(type="hello", fields={"last_seq": last_seq})
    if kind not in CHANGE_FIELDS:
        raise ProtocolError(INVALID, f"Unknown message type {kind[:40]!r}.")
    op = data.get("op")
    if not isinstance(op, str) or not op or len(op) > OP_MAX:
        raise ProtocolError(INVALID, f"op: a client-made id of 1–{OP_MAX} characters")
    fields: dict[str, Any] = {}
    for name, spec in CHANGE_FIELDS[kind].items():
        optional = spec.endswith("?")
        spec = spec.rstrip("?")
        if name not in data or (optional and data[name] is None):
            if optional:
                continue
            if spec == "group":  # `group` is required but may be null
                raise ProtocolError(INVALID, "group: required (null to ungroup)", op=op)
            raise ProtocolError(INVALID, f"{name}: required", op=op)
        fields[name] = _check(name, spec, data[name], op)
    return Message(type=kind, op=op, fields=fields)
