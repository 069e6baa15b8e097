"""A hub hands a stream's events to its sockets in seq order, strictly increasing
and gap-free, whichever process published them first (two daphnes can publish 6
before 5), reading from the log what did not come in time."""

import asyncio
from types import SimpleNamespace

import pytest
from asgiref.sync import sync_to_async

from core.realtime import hub as hub_module
from core.realtime.consumer import StreamConsumer
from core.realtime.hub import StreamHub


@pytest.fixture(autouse=True)
def _log_without_database(monkeypatch):
    """The log here is a list: its reads need no database connection."""
    monkeypatch.setattr(hub_module, "db_call", sync_to_async)


def _event(seq: int) -> dict:
    return {"type": "board.event", "board": 7, "seq": seq, "text": "{}"}


class _Log:
    """The stream's log as the hub reads it: holds events from `oldest` on."""

    def __init__(self, oldest: int = 1) -> None:
        self.oldest = oldest
        self.reads: list[tuple[int, int]] = []
        self.while_reading = lambda: None

    def logged_broadcasts(self, stream_id, first, before):
        self.reads.append((first, before))
        self.while_reading()
        if first < self.oldest:
            return None
        return [_event(seq) for seq in range(first, before)]


class _Hub(StreamHub):
    stream = SimpleNamespace(name="board", group=lambda stream_id: f"board.{stream_id}")


class _Socket:
    """A socket as the hub sees it; the consumers' own rule says what is new."""

    takes = StreamConsumer.takes

    def __init__(self):
        self.seen: list[int] = []
        self.seq_sent: dict[int, int] = {}

    async def stream_event(self, message):
        self.seen.append(message["seq"])


def _hub_with_socket(log: _Log | None = None):
    hub = _Hub(layer=None)
    hub.stream = SimpleNamespace(
        name="board",
        group=lambda stream_id: f"board.{stream_id}",
        logged_broadcasts=(log or _Log()).logged_broadcasts,
    )
    socket = _Socket()
    hub.sockets[7] = {socket}
    return hub, socket


async def _arrive(hub, *seqs: int) -> None:
    for seq in seqs:  # as the hub's reader hands them in
        async with hub.handing_on:
            await hub._in_order(7, seq, _event(seq))


async def test_events_arriving_out_of_order_are_handed_on_in_order():
    hub, socket = _hub_with_socket()
    await _arrive(hub, 1, 2, 4, 6, 3, 5, 7)
    assert socket.seen == [1, 2, 3, 4, 5, 6, 7]
    assert not hub.held and not hub.gap_timers


async def test_a_gap_that_stays_open_is_filled_from_the_log(monkeypatch):
    monkeypatch.setattr(hub_module, "REORDER_WAIT", 0.05)
    log = _Log()
    hub, socket = _hub_with_socket(log)
    await _arrive(hub, 1, 3, 4)  # 2's publisher is slow
    assert socket.seen == [1]
    await asyncio.sleep(0.2)
    assert log.reads == [(2, 3)]  # one read for all the hub's sockets
    assert socket.seen == [1, 2, 3, 4]
    await _arrive(hub, 2, 5)  # 2 comes after all: already handed on, dropped
    assert socket.seen == [1, 2, 3, 4, 5]
    assert not hub.held and not hub.gap_timers


async def test_two_gaps_are_filled_one_after_the_other(monkeypatch):
    monkeypatch.setattr(hub_module, "REORDER_WAIT", 0.05)
    log = _Log()
    hub, socket = _hub_with_socket(log)
    await _arrive(hub, 1, 3, 6)
    await asyncio.sleep(0.3)
    assert log.reads == [(2, 3), (4, 6)]
    assert socket.seen == [1, 2, 3, 4, 5, 6]


async def test_a_gap_the_log_no_longer_holds_is_passed_over(monkeypatch):
    monkeypatch.setattr(hub_module, "REORDER_WAIT", 0.05)
    log = _Log(oldest=3)
    hub, socket = _hub_with_socket(log)
    await _arrive(hub, 1, 3, 4)
    await asyncio.sleep(0.2)
    assert socket.seen == [1, 3, 4]  # the client sees the gap and resyncs
    await _arrive(hub, 2, 5)  # never handed on behind a later event
    assert socket.seen == [1, 3, 4, 5]


async def test_nothing_is_handed_on_when_the_sockets_left_during_the_read(
    monkeypatch,
):
    monkeypatch.setattr(hub_module, "REORDER_WAIT", 0.05)
    log = _Log()
    hub, socket = _hub_with_socket(log)
    log.while_reading = hub.sockets.clear
    await _arrive(hub, 1, 3)
    await asyncio.sleep(0.2)
    assert log.reads == [(2, 3)] and socket.seen == [1]


async def test_a_socket_gets_nothing_its_resync_already_held():
    """A socket that joined while events were on their way, and was sent a
    snapshot through 5, then gets 6 on, never 4 or 5 again; another socket of
    the stream gets everything."""
    hub, early = _hub_with_socket()
    await _arrive(hub, 1, 2, 3)
    joined = _Socket()
    joined.seq_sent[7] = 5  # what `send_resync` notes after the snapshot
    hub.sockets[7].add(joined)
    await _arrive(hub, 4, 5, 6, 7)
    assert joined.seen == [6, 7]
    assert early.seen == [1, 2, 3, 4, 5, 6, 7]
