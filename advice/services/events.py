"""A chat's numbered log: every change written with the chat's next `seq`.

The chat is a `core.realtime` stream (`CHATS`): `Chat.seq` is taken with `UPDATE
… SET seq = seq + 1 … RETURNING` (the chat's row lock until commit serialises
its changes: two advisors accepting at once are one after the other), the change
and its `ChatEvent` are written in the same transaction, and the event is
broadcast on commit. Every event payload names its `chat` (the desk holds
several).

Typing indicators and queue positions are not changes: they go to the chat's
group as `event` frames without a `seq` (`chat_signal`), are never stored, and a
client does not count them in its sequence.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from advice.models import Author, Chat, ChatEvent, ChatMember
from core.realtime.broadcast import group_send
from core.realtime.streams import Applied, Stream


def _closes_of(event: ChatEvent) -> int | None:
    """Blocking a chat closes its resident's sockets (`chat_close`'s `closes`)."""
    if event.type != "chat.closed" or not event.payload.get("blocked"):
        return None
    return (
        ChatMember.objects.filter(chat_id=event.chat_id, role=Author.RESIDENT)
        .values_list("pk", flat=True)
        .first()
    )


CHATS = Stream(
    model=Chat,
    event_model=ChatEvent,
    stream_field="chat",
    actor_field="member",
    name="advice.chat",
    resync_max_events=1000,
    closes_of=_closes_of,
)

# What a change re-reads with its number, in one statement (the state it checks).
CHAT_STATE = (
    "status",
    "advisor_id",
    "city_id",
    "language",
    "blocked",
    "rating",
    "queued_at",
    "updated_at",
    "closed_at",
    "answered_by_email_at",
    "transcript_purged_at",
)


def chat_seq_take(chat_id: int) -> Chat | None:
    """Lock the chat and take its next number: the chat as now stored, or None."""
    row = CHATS.take_seq(chat_id, CHAT_STATE)
    if row is None:
        return None
    return CHATS.row(chat_id, dict(zip(("seq", *CHAT_STATE), row, strict=True)))


def chat_event(
    *,
    chat: Chat,
    kind: str,
    payload: dict[str, Any],
    member: ChatMember | None = None,
    op: str = "",
    closes: int | None = None,
) -> ChatEvent:
    """Log event `chat.seq` (taken by `chat_seq_take` in this transaction)."""
    return CHATS.log(
        chat.pk,
        chat.seq,
        kind,
        {**payload, "chat": chat.pk},
        actor_id=member.pk if member is not None else None,
        op=op,
        closes=closes,
    )


def op_applied(member: ChatMember | None, op: str) -> Applied | None:
    """The earlier application of this member's `op`, if any."""
    if member is None or not op:
        return None
    seq = CHATS.op_seq(member.pk, op)
    return Applied(op=op, seq=seq, duplicate=True) if seq is not None else None


def chat_signal(chat_id: int, payload: dict[str, Any]) -> None:
    """Send an unnumbered `event` (typing, queue position) to the chat's sockets."""
    body = {**payload, "chat": chat_id}
    group_send(
        [
            (
                CHATS.group(chat_id),
                {
                    "type": f"{CHATS.name}.event",
                    CHATS.name: chat_id,
                    "text": json.dumps({"type": "event", "event": body}),
                    "seq": None,
                },
            )
        ]
    )


def on_commit_signal(chat_id: int, payload: dict[str, Any]) -> None:
    transaction.on_commit(lambda: chat_signal(chat_id, payload))
