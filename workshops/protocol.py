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
    Checker,
    Message,
    ProtocolError,
    boolean,
    decode_frame,
    int_range,
    invalid,
    one_of,
    parse_control,
    parse_fields,
    parse_op,
    positive_id,
    text,
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


def _group(name: str, value: Any, op: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > GROUP_NAME_MAX:
        raise invalid(
            name, f"must be null or text of at most {GROUP_NAME_MAX} characters", op
        )
    return value


CHECKERS: dict[str, Checker] = {
    "id": positive_id,
    "int": int_range(0, 2**63 - 1, "must be a non-negative integer"),
    "text": text(CARD_TEXT_MAX),
    "color": one_of(Color.values, "unknown colour"),
    "lang": one_of(TEXT_LANGUAGES),
    "group": _group,
    "phase": one_of(Phase.values, "unknown phase"),
    "seconds": int_range(
        1, TIMER_MAX_SECONDS, f"must be 1–{TIMER_MAX_SECONDS} seconds"
    ),
    "bool": boolean,
    "budget": int_range(0, VOTE_BUDGET_MAX),
}


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
    fields = parse_fields(
        CHANGE_FIELDS[kind],
        data,
        op,
        CHECKERS,
        nullable=("group",),  # `group` is required but may be null
        required_hints={"group": "required (null to ungroup)"},
    )
    return Message(type=kind, op=op, fields=fields)
