"""Presence on a lease: a process that dies without its disconnect handlers leaves
rows behind; they drop out of presence lists after the lease and are pruned, while
the heartbeat of a live process keeps its sockets' rows."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from tests.workshops.conftest import open_socket
from workshops import services
from workshops.consumers import PresenceHeartbeat
from workshops.models import Presence

pytestmark = pytest.mark.django_db(transaction=True)

PAST_LEASE = timedelta(seconds=services.PRESENCE_LEASE + 5)


@database_sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


def dead_row(board, participant, channel="specific.dead!1"):
    """A row left by a process that crashed a while ago."""
    return Presence.objects.create(
        board=board,
        participant=participant,
        channel_name=channel,
        last_seen=timezone.now() - PAST_LEASE,
    )


def test_presence_list_leaves_out_rows_past_the_lease(board, alice, bob):
    Presence.objects.create(board=board, participant=alice, channel_name="live!1")
    dead_row(board, bob)
    assert [p["name"] for p in services.presence_list(board.pk)] == ["Alice"]


def test_prune_deletes_only_rows_past_the_lease(board, alice, bob):
    Presence.objects.create(board=board, participant=alice, channel_name="live!1")
    dead_row(board, bob)
    assert services.presence_prune() == [board.pk]
    assert list(Presence.objects.values_list("channel_name", flat=True)) == ["live!1"]
    assert services.presence_prune() == []  # nothing left to prune


def test_renew_extends_the_lease_of_live_sockets(board, alice, bob):
    live = dead_row(board, alice, channel="live!1")
    dead_row(board, bob)
    assert services.presence_renew(channel_names=["live!1", "gone!1"]) == 1
    live.refresh_from_db()
    assert timezone.now() - live.last_seen < timedelta(seconds=5)
    assert [p["name"] for p in services.presence_list(board.pk)] == ["Alice"]


async def names_in_next_presence(socket) -> list[str]:
    frame = await socket.next("presence", skip=())
    return [p["name"] for p in frame["participants"]]


async def test_heartbeat_keeps_live_sockets_and_drops_a_dead_process(
    board, alice, bob, alice_cookie
):
    socket = await open_socket(board.pk, alice_cookie)
    await db(dead_row, board, bob)
    # Alice's own row is as old as the dead one: only the heartbeat saves it.
    await db(
        lambda: Presence.objects.filter(participant=alice).update(
            last_seen=timezone.now() - PAST_LEASE
        )
    )
    await PresenceHeartbeat.running().beat()
    names = await names_in_next_presence(socket)
    while names != ["Alice"]:  # a presence from the join may come first
        names = await names_in_next_presence(socket)
    rows = await db(
        lambda: list(Presence.objects.values_list("participant", flat=True))
    )
    assert rows == [alice.pk]
    await socket.close()
    assert await db(lambda: Presence.objects.count()) == 0


async def test_snapshot_presence_leaves_out_a_dead_process(
    board, alice, bob, alice_cookie
):
    await db(dead_row, board, bob)
    socket = await open_socket(board.pk, alice_cookie)
    assert [p["name"] for p in socket.snapshot["presence"]] == ["Alice"]
    await socket.close()
