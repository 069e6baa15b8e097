"""The board protocol's reliability: idempotent ops and acks, resync after a drop,
gap-free seq under concurrent writers, and a busy database."""

import pytest

from tests.workshops.conftest import db, open_socket
from workshops import services
from workshops.models import BoardEvent, Card

pytestmark = pytest.mark.django_db(transaction=True)


# --- Reliability ------------------------------------------------------------------


async def test_retried_op_is_applied_once(board, columns, alice_cookie):
    alice = await open_socket(board.pk, alice_cookie)
    ack, _ = await alice.change("card.add", "same-op", column=columns[0].pk, text="x")
    await alice.send(type="card.add", op="same-op", column=columns[0].pk, text="x")
    again = await alice.next("ack")
    assert again == ack
    assert await alice.quiet()
    assert await db(Card.objects.count) == 1
    assert await db(BoardEvent.objects.count) == 1
    await alice.close()


async def test_resync_after_a_dropped_connection(
    board, columns, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    await alice.change("card.add", "a1", column=columns[0].pk, text="before")
    await bob.event("card.added")
    await bob.close()  # bob's connection drops at seq 1
    expected = []
    for i in range(3):
        _, ev = await alice.change(
            "card.add", f"a{i + 2}", column=columns[1].pk, text=f"missed {i}"
        )
        expected.append(ev)
    bob = await open_socket(board.pk, bob_cookie, hello=False)
    await bob.send(type="hello", last_seq=1)
    missed = [await bob.next("event") for _ in range(3)]
    assert missed == expected
    assert await bob.quiet()
    # Too far ahead (another database?) or nothing known: a snapshot.
    await bob.send(type="hello", last_seq=99)
    snap = await bob.next("snapshot")
    assert snap["seq"] == 4 and len(snap["cards"]) == 4
    await alice.close()
    await bob.close()


async def test_seq_is_gap_free_under_concurrent_writers(
    board, columns, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    for i in range(5):
        await alice.send(type="card.add", op=f"a{i}", column=columns[0].pk, text="a")
        await bob.send(type="card.add", op=f"b{i}", column=columns[0].pk, text="b")
    seqs = {"alice": [], "bob": []}
    for name, socket in (("alice", alice), ("bob", bob)):
        while len(seqs[name]) < 10:
            frame = await socket.next("event", "ack")
            if frame["type"] == "event":
                seqs[name].append(frame["seq"])
    assert sorted(seqs["alice"]) == sorted(seqs["bob"]) == list(range(1, 11))
    await alice.close()
    await bob.close()


# --- A busy database -------------------------------------------------------------


async def test_a_busy_database_closes_the_socket_to_retry_and_writes_nothing(
    board, columns, alice_cookie, monkeypatch
):
    """A pool timeout (or any database failure) during a change closes the socket
    with 1013 "try again later" instead of killing the consumer: the client
    reconnects and re-sends, presence is left, and nothing was committed."""
    from django.db import OperationalError

    from workshops.models import Presence

    socket = await open_socket(board.pk, alice_cookie)

    def busy(**kwargs):
        raise OperationalError("couldn't get a connection after 10.00 sec")

    monkeypatch.setattr(services, "board_change", busy)
    await socket.send(
        type="card.add", op="busy-1", column=columns[0].pk, text="Odottaa"
    )
    closed = await socket.comm.receive_output(timeout=3)
    assert (closed["type"], closed["code"]) == ("websocket.close", 1013)
    await socket.comm.disconnect()
    assert await db(lambda: Card.objects.filter(board=board).count()) == 0
    assert await db(lambda: Presence.objects.filter(board=board).count()) == 0


async def test_a_snapshot_tells_the_hub_where_the_board_order_stands(
    board, columns, alice_cookie
):
    """After a socket's snapshot the process's hub expects the next number, so an
    event another process published later cannot be handed on before an earlier
    one still in this process's outbox (it is held until the gap fills)."""
    from channels.layers import get_channel_layer

    from workshops.consumers import BoardHub

    socket = await open_socket(board.pk, alice_cookie)
    hub = BoardHub.running(get_channel_layer())
    board_seq = await db(lambda: type(board).objects.get(pk=board.pk).seq)
    assert hub.next_seq[board.pk] == board_seq + 1
    await socket.comm.disconnect()
