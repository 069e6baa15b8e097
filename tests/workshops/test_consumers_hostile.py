"""What one participant cannot do to a board and to the others on it: flood
`hello` or `ping`, hold a socket that never reads, leave sockets idle, open
sockets without end, fill the board, or outrun the change rate by opening more
sockets. The mechanism is `core.realtime.consumer`; the quotas are the board's."""

import asyncio
import json

import pytest
from django.urls import reverse
from django.utils import translation

from core.realtime.consumer import (
    CLOSE_FLOODING,
    CLOSE_IDLE,
    CLOSE_OVER_BUDGET,
    CLOSE_TOO_MANY_SOCKETS,
)
from tests.workshops.conftest import db, open_socket
from workshops import services
from workshops.models import SOCKETS_PER_PARTICIPANT_MAX, Card
from workshops.services import changes, handlers

pytestmark = pytest.mark.django_db(transaction=True)


async def drain(socket, timeout: float = 0.3) -> list[dict]:
    """Every frame (or the close) the socket has been sent, until it goes quiet."""
    got = []
    while not await socket.comm.receive_nothing(timeout=timeout):
        output = await socket.comm.receive_output()
        if output["type"] == "websocket.close":
            got.append({"type": "close", "code": output["code"]})
            break
        got.append(json.loads(output["text"]))
    return got


async def closed_with(socket, timeout: float = 3) -> int:
    """Skip frames until the server closes the socket; its close code."""
    while True:
        output = await socket.comm.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output["code"]


async def test_a_hello_flood_is_rate_limited_and_others_keep_working(
    board, columns, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie, hello=False)
    bob = await open_socket(board.pk, bob_cookie)
    for _ in range(50):
        await alice.send(type="hello", last_seq=0)
    frames = await drain(alice)
    snapshots = [f for f in frames if f["type"] == "snapshot"]
    limited = [f for f in frames if f.get("code") == "rate_limited"]
    # 3 hellos in a burst, then one per 5 s: the flood got at most one more,
    # was told `rate_limited` about 20 times, and then the socket was closed.
    assert 3 <= len(snapshots) <= 4
    assert 15 <= len(limited) <= 25 and limited[0]["message"]
    assert frames[-1] == {"type": "close", "code": CLOSE_FLOODING}
    ack, event = await bob.change(
        "card.add", "b1", column=columns[0].pk, text="Toimii yhä"
    )
    assert event["event"]["card"]["text"] == "Toimii yhä"
    await alice.close()
    await bob.close()


async def test_a_ping_flood_is_rate_limited(board, alice_cookie):
    alice = await open_socket(board.pk, alice_cookie)
    for _ in range(20):
        await alice.send(type="ping")
    frames = await drain(alice)
    pongs = [f for f in frames if f["type"] == "pong"]
    assert 4 <= len(pongs) <= 6
    assert sum(f.get("code") == "rate_limited" for f in frames) >= 14
    assert frames[-1]["type"] != "close"  # refused a few times: still open
    await alice.close()


async def test_a_socket_asking_for_more_than_its_byte_budget_is_closed(
    board, columns, alice_cookie, bob_cookie, settings
):
    """The server cannot see whether a client reads (daphne buffers for it), so
    it bounds what it sends: snapshots asked for again and again go over."""
    bob = await open_socket(board.pk, bob_cookie)
    for n in range(10):
        await bob.change("card.add", f"b{n}", column=columns[0].pk, text="x" * 450)
    settings.REALTIME_SEND_BUDGET_BYTES = 12_000  # about two snapshots
    settings.REALTIME_SEND_BUDGET_WINDOW = 60
    alice = await open_socket(board.pk, alice_cookie)
    assert len(json.dumps(alice.snapshot)) > 5000
    for _ in range(2):  # within the hello rate, never read
        await alice.send(type="hello", last_seq=0)
    assert await closed_with(alice, timeout=10) == CLOSE_OVER_BUDGET
    # Bob, who reads, is within his budget and keeps working.
    await bob.change("card.add", "b-last", column=columns[0].pk, text="Vielä")
    await alice.close()
    await bob.close()


async def test_an_idle_socket_is_closed_and_a_pinging_one_is_not(
    board, alice_cookie, bob_cookie, settings
):
    settings.REALTIME_IDLE_TIMEOUT = 0.5
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    for _ in range(4):  # 1.2 s of pings, 0.3 s apart: Bob is never idle
        await asyncio.sleep(0.3)
        await bob.send(type="ping")
        assert (await bob.next("pong"))["type"] == "pong"
    assert await closed_with(alice) == CLOSE_IDLE
    await alice.close()
    await bob.close()


async def test_one_participant_holds_a_few_sockets_per_board(board, alice_cookie):
    sockets = [
        await open_socket(board.pk, alice_cookie)
        for _ in range(SOCKETS_PER_PARTICIPANT_MAX)
    ]
    extra = await open_socket(board.pk, alice_cookie, hello=False)
    error = await extra.next("error")
    assert error["code"] == "rate_limited" and error["message"]
    assert await closed_with(extra) == CLOSE_TOO_MANY_SOCKETS
    await extra.close()
    # Closing one window makes room for another.
    await sockets.pop().close()
    again = await open_socket(board.pk, alice_cookie)
    for socket in [*sockets, again]:
        await socket.close()


async def test_a_participant_has_a_card_quota_per_board(
    board, columns, alice_cookie, bob_cookie, facilitator_cookie, monkeypatch
):
    monkeypatch.setattr(handlers, "CARDS_PER_PARTICIPANT_MAX", 3)
    alice = await open_socket(board.pk, alice_cookie)
    for n in range(3):
        await alice.change("card.add", f"a{n}", column=columns[0].pk, text="Idea")
    error = await alice.error("card.add", op="a3", column=columns[0].pk, text="Yksi")
    assert error["code"] == "too_large" and "3" in error["message"]
    assert error["op"] == "a3"
    # The others, and the facilitators, are not held by Alice's quota.
    bob = await open_socket(board.pk, bob_cookie)
    await bob.change("card.add", "b0", column=columns[0].pk, text="Bobin")
    fac = await open_socket(board.pk, facilitator_cookie)
    for n in range(4):
        await fac.change("card.add", f"f{n}", column=columns[0].pk, text="Fasi")
    assert await db(Card.objects.filter(board=board).count) == 3 + 1 + 4
    for socket in (alice, bob, fac):
        await socket.close()


async def test_the_change_rate_is_per_participant_not_per_socket(
    board, columns, alice_cookie, bob_cookie, monkeypatch
):
    monkeypatch.setattr(changes, "CHANGES_PER_PARTICIPANT", 4)
    first = await open_socket(board.pk, alice_cookie)
    second = await open_socket(board.pk, alice_cookie)
    for n in range(2):
        await first.change("card.add", f"1-{n}", column=columns[0].pk, text="A")
        await second.change("card.add", f"2-{n}", column=columns[0].pk, text="A")
    error = await first.error("card.add", op="1-x", column=columns[0].pk, text="A")
    assert error["code"] == "rate_limited" and error["message"]
    bob = await open_socket(board.pk, bob_cookie)
    await bob.change("card.add", "b0", column=columns[0].pk, text="Bob")
    for socket in (first, second, bob):
        await socket.close()


def test_the_card_form_keeps_the_same_quota(
    client, workshop, board, columns, alice, monkeypatch
):
    monkeypatch.setattr(handlers, "CARDS_PER_PARTICIPANT_MAX", 2)
    session = client.session
    services.session_participant_remember(session, alice)
    session.save()
    with translation.override("en"):  # the page in English, to read its message
        url = reverse("workshops:card_add", args=[workshop.pk, board.pk])
    for n in range(3):
        response = client.post(
            url,
            {"column": columns[0].pk, "text": f"Kortti {n}", "color": "yellow"},
            follow=True,
        )
    assert Card.objects.filter(board=board).count() == 2
    shown = [str(m) for m in response.context["messages"]]
    assert any("the most one participant may" in m for m in shown), shown
