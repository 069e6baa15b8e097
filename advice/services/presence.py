"""Who is on a chat or at the desk: a `ChatPresence` row per open socket, on a lease.

The process serving the sockets renews `last_seen` every PRESENCE_HEARTBEAT
seconds with one UPDATE (`consumers.AdviceHeartbeat`); rows of a process that
died run out after PRESENCE_LEASE and the next prune deletes them. A resident's
live row is what brings an offline question back to the queue
(`queue.offline_requeue`): the resident is still there to chat. An advisor whose
last desk socket closes (or whose process died: its rows are pruned) is away:
a closed browser takes no chats and counts in no estimate. The desk's form
without JavaScript sets the status too; only a socket's end changes it back.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advice.models import (
    PRESENCE_HEARTBEAT,
    PRESENCE_LEASE,
    SOCKETS_PER_CHAT_MAX,
    SOCKETS_PER_DESK_MAX,
    AdvisorProfile,
    AdvisorStatus,
    Chat,
    ChatPresence,
)
from advice.services.queue import offline_requeue, queue_changed
from core.locking import lock_row
from core.realtime.presence import lease_start
from core.realtime.protocol import RATE_LIMITED, ProtocolError

__all__ = [
    "PRESENCE_HEARTBEAT",
    "PRESENCE_LEASE",
    "presence_enter_chat",
    "presence_enter_desk",
    "presence_leave",
    "presence_prune",
    "presence_renew",
]


def _refuse_past(limit: int, live, channel_name: str) -> None:
    """Refuse (`rate_limited`, then the socket closes) one socket too many."""
    live = live.filter(last_seen__gte=lease_start(PRESENCE_LEASE)).exclude(
        channel_name=channel_name
    )
    if live.count() >= limit:
        raise ProtocolError(
            RATE_LIMITED,
            _(
                "You have this open in too many windows (at most %(n)d). "
                "Close one and reload."
            )
            % {"n": limit},
        )


@transaction.atomic
def presence_enter_chat(*, chat_id: int, channel_name: str) -> None:
    """The resident opened the chat: an offline question may return to its queue.
    Tabs opening at once are counted one after the other (the chat row locked)."""
    lock_row(Chat, chat_id)
    _refuse_past(
        SOCKETS_PER_CHAT_MAX, ChatPresence.objects.filter(chat_id=chat_id), channel_name
    )
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"chat_id": chat_id, "advisor": None, "last_seen": timezone.now()},
    )
    offline_requeue(chats=Chat.objects.filter(pk=chat_id))


@transaction.atomic
def presence_enter_desk(*, advisor_id: int, channel_name: str) -> None:
    lock_row(AdvisorProfile, advisor_id)
    _refuse_past(
        SOCKETS_PER_DESK_MAX,
        ChatPresence.objects.filter(advisor_id=advisor_id),
        channel_name,
    )
    ChatPresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={"chat": None, "advisor_id": advisor_id, "last_seen": timezone.now()},
    )


@transaction.atomic
def presence_leave(*, channel_name: str) -> None:
    rows = ChatPresence.objects.filter(channel_name=channel_name)
    advisor_ids = set(rows.exclude(advisor=None).values_list("advisor_id", flat=True))
    rows.delete()
    _away_without_desk(advisor_ids)


def _away_without_desk(advisor_ids: set[int]) -> None:
    """Set away the available advisors among these who have no live desk socket."""
    if not advisor_ids:
        return
    live = ChatPresence.objects.filter(
        advisor_id__in=advisor_ids, last_seen__gte=lease_start(PRESENCE_LEASE)
    ).values("advisor_id")
    now = timezone.now()
    gone = (
        AdvisorProfile.objects.filter(
            pk__in=advisor_ids, status=AdvisorStatus.AVAILABLE
        )
        .exclude(pk__in=live)
        .update(status=AdvisorStatus.AWAY, status_changed_at=now, updated_at=now)
    )
    if gone:
        queue_changed()  # the estimates count available advisors


def presence_renew(*, channel_names: list[str]) -> int:
    """Renew these live sockets' leases; how many rows were renewed."""
    now = timezone.now()
    renewed = 0
    for start in range(0, len(channel_names), 500):
        renewed += ChatPresence.objects.filter(
            channel_name__in=channel_names[start : start + 500]
        ).update(last_seen=now)
    return renewed


@transaction.atomic
def presence_prune() -> int:
    """Delete rows whose lease ran out; how many."""
    expired = ChatPresence.objects.filter(last_seen__lt=lease_start(PRESENCE_LEASE))
    advisor_ids = set(
        expired.exclude(advisor=None).values_list("advisor_id", flat=True)
    )
    deleted, _ = expired.delete()
    _away_without_desk(advisor_ids)
    return deleted
