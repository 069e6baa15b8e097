"""Validation of the board protocol's client messages (see DESIGN.md, Board protocol).

`parse(raw)` turns one WebSocket text frame into a `Message` with checked, typed
fields, or raises `ProtocolError` carrying the error code the client is answered
with. Nothing here touches the database.
"""

from typing import Any

from core.realtime.protocol import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    LOCKED,
    NOT_FOUND,
    OP_MAX,
    RATE_LIMITED,
    TOO_LARGE,
    Message,
    ProtocolError,
    decode_frame,
    is_int,
    parse_control,
    parse_op,
)
from core.text.analysis import LANGUAGES as TEXT_LANGUAGES
from workshops.models import CARD_TEXT_MAX, GROUP_NAME_MAX, Color, Phase

__all__ = [
    "CONFLICT",
    "FORBIDDEN",
    "INVALID",
    "LOCKED",
    "NOT_FOUND",
    "OP_MAX",
    "RATE_LIMITED",
    "TOO_LARGE",
    "Message",
    "ProtocolError",
    "parse",
]

MESSAGE_MAX_BYTES = 8 * 1024
TIMER_MAX_SECONDS = 4 * 60 * 60
VOTE_BUDGET_MAX = 100

# Message type -> the fields it takes: name -> kind ("int", "id", "text", ...).
# A trailing "?" marks an optional field.
CHANGE_FIELDS: dict[str, dict[str, str]] = {
    # Extension: `language` (fi, sv, en) of the card's text; absent on card.add =
    # the page's language, absent on card.edit = unchanged.
    "card.add": {
        "column": "id",
        "text": "text",
        "color": "color?",
        "language": "lang?",
    },
    "card.edit": {"card": "id", "text": "text", "version": "int", "language": "lang?"},
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
    # Extension: a facilitator opens voting outside the vote phase, or closes it
    # within it, until the next phase change.
    "voting.set": {"open": "bool"},
}


def _check(name: str, kind: str, value: Any, op: str) -> Any:
    def bad(message: str) -> ProtocolError:
        return ProtocolError(INVALID, f"{name}: {message}", op=op)

    if kind == "id":
        if not is_int(value) or value <= 0:
            raise bad("must be a positive integer id")
        return value
    if kind == "int":
        if not is_int(value) or value < 0:
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
    if kind == "lang":
        if value not in TEXT_LANGUAGES:
            raise bad(f"must be one of {', '.join(TEXT_LANGUAGES)}")
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
        if not is_int(value) or not 1 <= value <= TIMER_MAX_SECONDS:
            raise bad(f"must be 1–{TIMER_MAX_SECONDS} seconds")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad("must be true or false")
        return value
    if kind == "budget":
        if not is_int(value) or not 0 <= value <= VOTE_BUDGET_MAX:
            raise bad(f"must be 0–{VOTE_BUDGET_MAX}")
        return value
    raise AssertionError(kind)  # pragma: no cover - table above is closed


def parse(raw: str | bytes | None) -> Message:
    """Decode and validate one client frame (the no-JavaScript forms too)."""
    data = decode_frame(raw, max_bytes=MESSAGE_MAX_BYTES)
    control = parse_control(data)
    if control is not None:
        return control
    kind = data["type"]
    if kind not in CHANGE_FIELDS:
        raise ProtocolError(INVALID, f"Unknown message type {kind[:40]!r}.")
    op = parse_op(data)
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
