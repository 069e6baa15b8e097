"""What the board socket refuses: invalid and unknown messages, sizes, the card cap
and the per-connection rate limit."""

import pytest

from tests.workshops.conftest import db, open_socket
from workshops.models import CARDS_PER_BOARD_MAX, BoardEvent, Card

pytestmark = pytest.mark.django_db(transaction=True)


# --- Errors and limits ------------------------------------------------------------


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        '{"type": "card.fly", "op": "x"}',
        '{"type": "card.add", "column": 1, "text": "no op"}',
        '{"type": "card.add", "op": "x", "text": "no column"}',
        '{"type": "card.add", "op": "x", "column": "1", "text": "t"}',
        '{"type": "card.add", "op": "x", "column": 1, "text": "   "}',
        '{"type": "card.add", "op": "x", "column": 1, "text": "t", "color": "red"}',
        '{"type": "card.group", "op": "x", "card": 1}',
        '{"type": "phase.set", "op": "x", "phase": "party"}',
        '{"type": "timer.start", "op": "x", "seconds": 0}',
        '{"type": "hello", "last_seq": -1}',
    ],
)
async def test_invalid_messages(board, alice_cookie, frame):
    socket = await open_socket(board.pk, alice_cookie)
    await socket.comm.send_to(text_data=frame)
    error = await socket.next("error")
    assert error["code"] == "invalid" and error["message"]
    assert await db(BoardEvent.objects.count) == 0
    await socket.close()


# Frames that used to crash the connection (close 1011) or were echoed to everyone.
HOSTILE_FRAMES = [
    '{"type": "card.add", "op": "x", "column": 1, "text": '
    + "[" * 1000
    + "]" * 1000
    + "}",
    "[" * 100_000 + "]" * 100_000,
    '{"type": "card.add", "op": "\\ud800", "column": 1, "text": "t"}',
    '{"type": "card.add", "op": "x", "column": 1, "text": "a\\ud800b"}',
    '{"type": "card.group", "op": "x", "card": 1, "group": "\\udfff"}',
    '{"type": "card.add", "op": "a\\u0000b", "column": 1, "text": "t"}',
    '{"type": "card.add", "op": "x", "column": 1, "text": "a\\u0000b"}',
    '{"type": "card.add", "op": "<img src=x onerror=alert(1)>", "column": 1, '
    '"text": "t"}',
    '{"type": "card.add", "op": "' + "o" * 65 + '", "column": 1, "text": "t"}',
]


@pytest.mark.parametrize("frame", HOSTILE_FRAMES)
async def test_hostile_frames_are_invalid_and_the_socket_stays_usable(
    board, columns, alice_cookie, frame
):
    socket = await open_socket(board.pk, alice_cookie)
    await socket.comm.send_to(text_data=frame)
    error = await socket.next("error")
    assert error["code"] in ("invalid", "too_large")
    assert "op" not in error
    _, added = await socket.change("card.add", "ok-1", column=columns[0].pk, text="ok")
    assert added["event"]["card"]["text"] == "ok"
    await socket.close()


async def test_not_found(board, columns, alice_cookie):
    socket = await open_socket(board.pk, alice_cookie)
    error = await socket.error("card.add", "a1", column=999_999, text="x")
    assert error["code"] == "not_found"
    error = await socket.error("card.delete", "a2", card=999_999)
    assert error["code"] == "not_found"
    await socket.close()


async def test_too_large_message_and_text(board, columns, alice_cookie):
    socket = await open_socket(board.pk, alice_cookie)
    await socket.comm.send_to(text_data='{"type": "ping", "pad": "' + "x" * 8200 + '"}')
    assert (await socket.next("error"))["code"] == "too_large"
    error = await socket.error("card.add", "a1", column=columns[0].pk, text="y" * 501)
    assert error["code"] == "too_large"
    await socket.change("card.add", "a2", column=columns[0].pk, text="y" * 500)
    await socket.send(type="ping")  # the connection stays open
    await socket.next("pong")
    await socket.close()


async def test_board_card_cap(board, columns, alice, alice_cookie):
    def fill():
        Card.objects.bulk_create(
            Card(board=board, column=columns[0], author=alice, text="x", position=i)
            for i in range(CARDS_PER_BOARD_MAX)
        )

    await db(fill)
    socket = await open_socket(board.pk, alice_cookie)
    error = await socket.error("card.add", "a1", column=columns[0].pk, text="one more")
    assert error["code"] == "too_large"
    assert await db(Card.objects.count) == CARDS_PER_BOARD_MAX
    await socket.close()


async def test_rate_limited_per_connection(board, columns, alice_cookie, monkeypatch):
    from workshops import consumers

    # The real burst, but (almost) no refill: the outcome no longer depends on
    # how fast this machine's database is.
    monkeypatch.setattr(consumers, "CHANGE_RATE", 0.001)
    socket = await open_socket(board.pk, alice_cookie)
    for i in range(30):
        await socket.send(type="card.add", op=f"r{i}", column=columns[0].pk, text="x")
    codes = []
    acks = events = 0
    # Every answer and every applied change's event (which comes through the
    # channel layer and may follow its ack), so none is left to meet the pong.
    while acks + len(codes) < 30 or events < acks:
        # Twenty commits in a row: a slow disk must not make one frame miss the
        # harness's usual 3 s wait.
        frame = await socket.next("ack", "event", "error", timeout=10)
        if frame["type"] == "ack":
            acks += 1
        elif frame["type"] == "event":
            events += 1
        elif frame["type"] == "error":
            codes.append(frame["code"])
    assert codes == ["rate_limited"] * 10
    assert acks == consumers.CHANGE_BURST == 20
    assert await db(Card.objects.count) == acks
    await socket.send(type="ping")  # still connected
    await socket.next("pong")
    await socket.close()
