"""Who is on a chat or at the desk: a `ChatPresence` row per open socket, on a lease.

The process serving the sockets renews `last_seen` every PRESENCE_HEARTBEAT
seconds with one UPDATE (`consumers.AdviceHeartbeat`); rows of a process that
died run out after PRESENCE_LEASE and the next prune deletes them. A resident's
live row is what brings an offline question back to the queue
(`queue.offline_requeue`): the resident is still there to chat.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from advice.models import PRESENCE_HEARTBEAT, PRESENCE_LEASE, Chat, ChatPresence
from advice.services.queue import offline_requeue
from core.realtime.presence import lease_start

__all__ = [
    "PRESENCE_HEARTBEAT",
    "PRESENCE_LEASE",
    "presence_enter_chat",
    "presence_enter_desk",
    "presence_leave",
    "presence_prune",
    "presence_renew",
]


@transaction.atomic
def presence_enter_chat(*, chat_id: int, channel_name: str) -> None:
    """The resident opened the chat: an offline question may return to its queue."""
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"chat_id": chat_id, "advisor": None, "last_seen": timezone.now()},
    )
    offline_requeue(chats=Chat.objects.filter(pk=chat_id))


def presence_enter_desk(*, advisor_id: int, channel_name: str) -> None:
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"chat": None, "advisor_id": advisor_id, "last_seen": timezone.now()},
    )


def presence_leave(*, channel_name: str) -> None:
    ChatPresence.objects.filter(channel_name=channel_name).delete()


def presence_renew(*, channel_names: list[str]) -> int:
    """Renew these live sockets' leases; how many rows were renewed."""
    now = timezone.now()
    renewed = 0
    for start in range(0, len(channel_names), 500):
        renewed += ChatPresence.objects.filter(
            channel_name__in=channel_names[start : start + 500]
        ).update(last_seen=now)
    return renewed


def presence_prune() -> int:
    """Delete rows whose lease ran out; how many."""
    deleted, _ = ChatPresence.objects.filter(
        last_seen__lt=lease_start(PRESENCE_LEASE)
    ).delete()
    return deleted
