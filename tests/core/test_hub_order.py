"""A hub hands a stream's events to its sockets in seq order, whichever process
published them first (two daphnes can publish 6 before 5)."""

import asyncio
from types import SimpleNamespace

from core.realtime import hub as hub_module
from core.realtime.hub import StreamHub


class _Hub(StreamHub):
    stream = SimpleNamespace(name="board", group=lambda stream_id: f"board.{stream_id}")


class _Socket:
    def __init__(self):
        self.seen: list[int] = []

    async def stream_event(self, message):
        self.seen.append(message["seq"])


def _hub_with_socket():
    hub = _Hub(layer=None)
    socket = _Socket()
    hub.sockets[7] = {socket}
    return hub, socket


def _event(seq: int) -> dict:
    return {"type": "board.event", "board": 7, "seq": seq, "text": "{}"}


async def test_events_arriving_out_of_order_are_handed_on_in_order():
    hub, socket = _hub_with_socket()
    for seq in (1, 2, 4, 6, 3, 5, 7):
        await hub._in_order(7, seq, _event(seq))
    assert socket.seen == [1, 2, 3, 4, 5, 6, 7]
    assert not hub.held and not hub.gap_timers


async def test_a_gap_that_stays_open_is_passed_over_after_a_short_wait(monkeypatch):
    monkeypatch.setattr(hub_module, "REORDER_WAIT", 0.05)
    hub, socket = _hub_with_socket()
    for seq in (1, 3, 4):  # 2 never comes (its client resyncs with hello)
        await hub._in_order(7, seq, _event(seq))
    assert socket.seen == [1]
    await asyncio.sleep(0.2)
    assert socket.seen == [1, 3, 4]
    await hub._in_order(7, 2, _event(2))  # late: still delivered, not lost
    await hub._in_order(7, 5, _event(5))
    assert socket.seen == [1, 3, 4, 2, 5]
