"""Who is on a board: a `Presence` row per open socket, held on a lease.

The process serving the socket renews `last_seen` every PRESENCE_HEARTBEAT
seconds (one UPDATE for all its sockets, see `consumers.PresenceHeartbeat`). A
process that dies without running its disconnect handlers stops renewing; after
PRESENCE_LEASE its rows no longer count (`selectors.presence_list`), and the next
prune deletes them and tells the boards' participants.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locking import lock_row
from core.realtime import broadcast
from core.realtime.presence import lease_start
from workshops import protocol, selectors
from workshops.models import (
    PRESENCE_HEARTBEAT,
    PRESENCE_LEASE,
    SOCKETS_PER_PARTICIPANT_MAX,
    Participant,
    Presence,
)
from workshops.services.events import BOARDS
from workshops.services.participants import BoardAccess

__all__ = [
    "PRESENCE_DEBOUNCE",
    "PRESENCE_HEARTBEAT",
    "PRESENCE_LEASE",
    "presence_broadcast",
    "presence_enter",
    "presence_leave",
    "presence_prune",
    "presence_renew",
]

# A burst of joins or leaves on a board becomes one presence message per process.
PRESENCE_DEBOUNCE = 0.25


def presence_broadcast(board_id: int) -> None:
    """Send the board's presence list to everyone on it (encoded once)."""
    BOARDS.presence_send(board_id, selectors.presence_list(board_id))


def _presence_changed(board_id: int) -> None:
    """On commit: broadcast the board's presence, coalescing bursts per process."""
    broadcast.coalesced(
        ("board-presence", board_id),
        partial(presence_broadcast, board_id),
        delay=PRESENCE_DEBOUNCE,
    )


@transaction.atomic
def presence_enter(*, access: BoardAccess, channel_name: str) -> None:
    """Record an open socket; refuse (`rate_limited`) a participant who already
    has SOCKETS_PER_PARTICIPANT_MAX live sockets on the board."""
    # Locked so that sockets opening at once are counted one after the other.
    lock_row(Participant, access.participant_id)
    live = Presence.objects.filter(
        board_id=access.board_id,
        participant_id=access.participant_id,
        last_seen__gte=lease_start(PRESENCE_LEASE),
    ).exclude(channel_name=channel_name)
    if live.count() >= SOCKETS_PER_PARTICIPANT_MAX:
        raise protocol.ProtocolError(
            protocol.RATE_LIMITED,
            _(
                "You have this board open in too many windows (at most %(n)d). "
                "Close one and reload."
            )
            % {"n": SOCKETS_PER_PARTICIPANT_MAX},
        )
    Presence.objects.update_or_create(
        channel_name=channel_name,
        defaults={
            "board_id": access.board_id,
            "participant_id": access.participant_id,
            "last_seen": timezone.now(),
        },
    )
    transaction.on_commit(lambda: _presence_changed(access.board_id))


@transaction.atomic
def presence_leave(*, board_id: int, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()
    transaction.on_commit(lambda: _presence_changed(board_id))


def presence_renew(*, channel_names: list[str]) -> int:
    """Renew the lease of these live sockets' rows; how many rows were renewed."""
    now = timezone.now()
    renewed = 0
    for start in range(0, len(channel_names), 500):
        renewed += Presence.objects.filter(
            channel_name__in=channel_names[start : start + 500]
        ).update(last_seen=now)
    return renewed


@transaction.atomic
def presence_prune() -> list[int]:
    """Delete rows whose lease ran out; tell their boards. The boards' ids."""
    stale = Presence.objects.filter(last_seen__lt=lease_start(PRESENCE_LEASE))
    boards = sorted(set(stale.values_list("board_id", flat=True)))
    if boards:
        stale.delete()
        for board_id in boards:
            transaction.on_commit(lambda b=board_id: _presence_changed(b))
    return boards
