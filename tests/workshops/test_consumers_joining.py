"""Joining a board through the ASGI stack: the snapshot, who is refused (origin,
session, board), presence, ping and a removed participant's socket."""

import asyncio

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tests.workshops.conftest import communicator, db, open_socket
from workshops import services

pytestmark = pytest.mark.django_db(transaction=True)


# --- Connecting ------------------------------------------------------------------


async def test_participant_connects_and_gets_a_snapshot(board, columns, alice_cookie):
    socket = await open_socket(board.pk, alice_cookie)
    snap = socket.snapshot
    assert snap["seq"] == 0
    with translation.override("fi"):
        titles = [_("Who"), _("Need"), _("Idea"), _("Prototype")]
    assert [c["title"] for c in snap["columns"]] == titles
    assert snap["cards"] == []
    assert snap["you"]["name"] == "Alice" and snap["you"]["facilitator"] is False
    assert snap["votes_left"] == 5
    assert snap["board"]["phase"] == "open"
    await socket.close()


async def test_refused_without_participant(board):
    comm = communicator(board.pk, cookie=None)
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def test_refused_from_another_origin(board, alice_cookie):
    comm = communicator(board.pk, alice_cookie, origin="https://evil.example")
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def test_refused_to_unknown_board(board, alice_cookie):
    comm = communicator(board.pk + 999, alice_cookie)
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def test_refused_on_a_board_of_another_workshop(
    board, alice_cookie, facilitator, city
):
    other = await db(
        services.workshop_create,
        user=facilitator,
        city=city,
        title="Other",
        starts_at=board.workshop.starts_at,
    )
    other_board = await db(lambda: other.boards.get())
    comm = communicator(other_board.pk, alice_cookie)
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def _presence_until(socket, names: list[str], limit: float = 5) -> None:
    """Read frames until a presence list with exactly `names` arrives; a list that
    never comes fails the test (TimeoutError) instead of looping forever."""
    seen = None
    async with asyncio.timeout(limit):
        while seen != names:
            frame = await socket.comm.receive_json_from(timeout=limit)
            if frame["type"] == "presence":
                seen = [p["name"] for p in frame["participants"]]


async def test_presence_lists_who_is_on_the_board(board, alice_cookie, bob_cookie):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    # Each wait fails the test when that exact list does not arrive in time.
    await _presence_until(alice, ["Alice", "Bob"])
    await bob.close()
    await _presence_until(alice, ["Alice"])
    await alice.close()


async def test_ping_is_answered(board, alice_cookie):
    socket = await open_socket(board.pk, alice_cookie)
    await socket.send(type="ping")
    assert (await socket.next("pong"))["type"] == "pong"
    await socket.close()


async def test_removed_participant_is_disconnected(
    board, alice, alice_cookie, bob_cookie, facilitator
):
    alice_socket = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    await db(services.participant_remove, user=facilitator, participant=alice)
    removed = await alice_socket.event("participant.removed")
    assert removed["event"]["participant"] == alice.pk
    output = await alice_socket.comm.receive_output(timeout=2)
    while output["type"] == "websocket.send":
        output = await alice_socket.comm.receive_output(timeout=2)
    assert (output["type"], output["code"]) == ("websocket.close", 4403)
    assert (await bob.event("participant.removed"))["event"]["participant"] == alice.pk
    comm = communicator(board.pk, alice_cookie)
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()
    await bob.close()
