"""Validation of the chat protocol's client messages (DESIGN.md, Chat protocol).

`parse_resident(raw)` and `parse_desk(raw)` turn one WebSocket text frame into a
`Message` with checked, typed fields, or raise `ProtocolError` with the code
the client is answered with: a text over its limit (a 4,000-character message)
is `too_large`, an unknown type or a bad field `invalid`. Nothing here touches
the database.
"""

from __future__ import annotations

from typing import Any

from advice.models import MESSAGE_TEXT_MAX, NOTE_TEXT_MAX, RATING_COMMENT_MAX
from core.realtime.protocol import (
    INVALID,
    Checker,
    Message,
    ProtocolError,
    decode_frame,
    int_range,
    invalid,
    is_int,
    one_of,
    parse_control,
    parse_fields,
    parse_op,
    positive_id,
    text,
)

# A frame: the longest text in any script (4 bytes a character) and the envelope.
MESSAGE_MAX_BYTES = 16 * 1024
# `hello {chats}` names at most this many chats (an advisor holds at most 10).
HELLO_CHATS_MAX = 50
LANGUAGE_MAX = 8

# Message type -> its fields: name -> kind; a trailing "?" marks an optional one.
# `typing` is not a change: it carries no op, is not stored and gets no ack.
RESIDENT_FIELDS: dict[str, dict[str, str]] = {
    "message.send": {"text": "text"},
    "chat.close": {},
    "rating.give": {"score": "score", "comment": "comment?"},
}
DESK_FIELDS: dict[str, dict[str, str]] = {
    "status.set": {"status": "status"},
    "chat.accept": {"chat": "id"},
    "message.send": {"chat": "id", "text": "text"},
    "chat.transfer": {
        "chat": "id",
        "to": "to",
        "city": "city?",
        "language": "language?",
        "note": "note_optional?",
    },
    "note.add": {"chat": "id", "text": "note"},
    "chat.close": {"chat": "id"},
    "chat.block": {"chat": "id"},
}
STATUSES = ("available", "away")


def _to(name: str, value: Any, op: str) -> int | str:
    if value == "queue" or (is_int(value) and value > 0):
        return value
    raise invalid(name, 'an advisor id or "queue"', op)


def _city(name: str, value: Any, op: str) -> int | None:  # null: any city
    if value is not None and (not is_int(value) or value <= 0):
        raise invalid(name, "a city id, or null for any city", op)
    return value


def _language(name: str, value: Any, op: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= LANGUAGE_MAX:
        raise invalid(name, "a language code", op)
    return value


CHECKERS: dict[str, Checker] = {
    "id": positive_id,
    "text": text(MESSAGE_TEXT_MAX),
    "note": text(NOTE_TEXT_MAX),  # `note.add`'s text; the transfer's note may be ""
    "note_optional": text(NOTE_TEXT_MAX, required=False),
    "comment": text(RATING_COMMENT_MAX, required=False),
    "score": int_range(1, 5, "must be an integer from 1 to 5"),
    "status": one_of(STATUSES),
    "to": _to,
    "city": _city,
    "language": _language,
}


def _parse(raw: str | bytes | None, table: dict[str, dict[str, str]], *, desk: bool):
    data = decode_frame(raw, max_bytes=MESSAGE_MAX_BYTES)
    kind = data["type"]
    if desk and kind == "hello":
        return Message(type="hello", fields={"last_seq": 0, "chats": _chats(data)})
    control = parse_control(data)
    if control is not None:
        return control
    if kind == "typing":
        fields = {"chat": positive_id("chat", data.get("chat"), "")} if desk else {}
        return Message(type="typing", fields=fields)
    if kind not in table:
        raise ProtocolError(INVALID, f"Unknown message type {kind[:40]!r}.")
    op = parse_op(data)
    fields = parse_fields(table[kind], data, op, CHECKERS, nullable=("city",))
    return Message(type=kind, op=op, fields=fields)


def _chats(data: dict[str, Any]) -> dict[int, int]:
    """`hello {chats: {id: last_seq}}` (absent: {}): the held chats to resync."""
    chats = data.get("chats") or {}
    if not isinstance(chats, dict) or len(chats) > HELLO_CHATS_MAX:
        raise ProtocolError(
            INVALID, f"chats: an object of at most {HELLO_CHATS_MAX} id: last_seq"
        )
    parsed: dict[int, int] = {}
    for key, last_seq in chats.items():
        if not (isinstance(key, str) and key.isascii() and key.isdigit()):
            raise ProtocolError(INVALID, "chats: keys are chat ids")
        if last_seq is None:
            last_seq = 0
        if not is_int(last_seq) or last_seq < 0:
            raise ProtocolError(INVALID, "chats: last_seq must be non-negative")
        parsed[int(key)] = last_seq
    return parsed


def parse_resident(raw: str | bytes | None) -> Message:
    """One frame from a resident's chat socket."""
    return _parse(raw, RESIDENT_FIELDS, desk=False)


def parse_desk(raw: str | bytes | None) -> Message:
    """One frame from an advisor's (or supervisor's) desk socket."""
    return _parse(raw, DESK_FIELDS, desk=True)
