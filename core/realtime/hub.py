"""The per-process fan-out hub of a kind of stream.

Instead of every socket being a member of its stream's group, with the channel
layer queueing a copy of each event for each socket, the hub's one channel is the
member and the hub hands each event straight to the stream's sockets in this
process: the channel layer carries one message per event per process whatever the
number of participants. One hub per event loop (so one per daphne process) and
per subclass.

Events reach a hub in the order they were published, and two processes (or two
database threads of one) publish independently: event 6 committed in one can
arrive before event 5 from the other. The hub hands a stream's events to its
sockets in `seq` order, strictly increasing and gap-free as the protocol
promises. An event that arrives ahead of a gap is held; when the gap is still
open after `REORDER_WAIT` seconds (the other publisher is slow: its event loop is
busy or its send failed), the hub reads the missing events from the stream's log
once for all its sockets. They are there: a stream's number is taken under its
row lock, so event 5 committed before event 6 was numbered. An event that comes
after its place was filled is dropped. Only when the log no longer holds them is
the gap passed over (the clients see it and resync with `hello`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, ClassVar

from core.realtime import stages
from core.realtime.dbcalls import db_call
from core.realtime.streams import Stream

logger = logging.getLogger(__name__)

# Strong references to running gap fills (the loop keeps only weak ones).
_filling: set[asyncio.Task] = set()


def _keep(task: asyncio.Task) -> None:
    _filling.add(task)
    task.add_done_callback(_filling.discard)


# How long an event that arrived ahead of a gap waits for the missing ones before
# the hub reads them from the log.
REORDER_WAIT = 0.5


class StreamHub:
    """Subclass with `stream`; sockets are consumers with `stream_event` and
    `stream_presence` coroutines taking the channel-layer message."""

    stream: ClassVar[Stream]
    _by_loop: ClassVar[dict[asyncio.AbstractEventLoop, StreamHub]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._by_loop = {}  # each kind of stream has its own hub per loop

    def __init__(self, layer) -> None:
        self.layer = layer
        self.channel: str | None = None
        self.sockets: dict[int, set[Any]] = {}
        self.reader: asyncio.Task | None = None
        # Per stream: the next seq to hand on, and events held ahead of a gap.
        self.next_seq: dict[int, int] = {}
        self.held: dict[int, dict[int, dict]] = {}
        self.gap_timers: dict[int, asyncio.TimerHandle] = {}
        # Held by whatever hands events on (the reader, a gap being filled), so
        # a stream's events reach each socket one after another in order.
        self.handing_on = asyncio.Lock()

    @classmethod
    def running(cls, layer) -> StreamHub:
        loop = asyncio.get_running_loop()
        hub = cls._by_loop.get(loop)
        if hub is None or hub.layer is not layer:
            hub = cls._by_loop[loop] = cls(layer)
        return hub

    async def join(self, stream_id: int, consumer: Any) -> None:
        if self.channel is None:
            # The default prefix: channels_redis reads one process-local prefix.
            channel = await self.layer.new_channel()
            if self.channel is None:  # not set by another join meanwhile
                self.channel = channel
                self.reader = asyncio.get_running_loop().create_task(self._read())
        sockets = self.sockets.get(stream_id)
        if sockets is None:
            sockets = self.sockets[stream_id] = set()
            sockets.add(consumer)
            await self.layer.group_add(self.stream.group(stream_id), self.channel)
        else:
            sockets.add(consumer)

    def expect(self, stream_id: int, seq: int) -> None:
        """A socket of this stream has everything before `seq` (its snapshot or
        resync): hold a later event until `seq` came, if no order is known yet.
        Without it the first event this hub sees sets the order, and an event
        published by another process can overtake an earlier one from this
        process's own outbox."""
        if stream_id in self.sockets and stream_id not in self.next_seq:
            self.next_seq[stream_id] = seq

    async def leave(self, stream_id: int, consumer: Any) -> None:
        sockets = self.sockets.get(stream_id)
        if sockets is None:
            return
        sockets.discard(consumer)
        if sockets:
            return
        del self.sockets[stream_id]
        self.next_seq.pop(stream_id, None)
        self.held.pop(stream_id, None)
        timer = self.gap_timers.pop(stream_id, None)
        if timer is not None:
            timer.cancel()
        group = self.stream.group(stream_id)
        await self.layer.group_discard(group, self.channel)
        if stream_id in self.sockets:
            # Someone joined this stream while we were leaving it: their group_add
            # may have reached the layer before our discard, so add it again.
            await self.layer.group_add(group, self.channel)
            return
        if not self.sockets and self.reader is not None:
            self.reader.cancel()
            self.reader, self.channel = None, None
            self._by_loop.pop(asyncio.get_running_loop(), None)

    async def renew(self) -> None:
        """Re-add the hub to its groups (the Redis layer expires memberships)."""
        for stream_id in list(self.sockets):
            await self.layer.group_add(self.stream.group(stream_id), self.channel)

    async def _read(self) -> None:
        name = self.stream.name
        handlers = {
            f"{name}.event": "stream_event",
            f"{name}.presence": "stream_presence",
        }
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - layer hiccup; clients resync by seq
                logger.exception("%s hub could not read from the channel layer", name)
                await asyncio.sleep(1)
                continue
            handler = handlers.get(message.get("type"))
            if handler is None:
                continue
            stream_id = message.get(name)
            seq = message.get("seq")
            async with self.handing_on:
                if handler != "stream_event" or seq is None:
                    await self._fan_out(stream_id, handler, message)
                else:
                    await self._in_order(stream_id, seq, message)

    async def _in_order(self, stream_id: int, seq: int, message: dict) -> None:
        """Hand on, hold or drop one event (called holding `handing_on`)."""
        expected = self.next_seq.get(stream_id)
        if expected is not None and seq < expected:
            return  # its place was filled from the log (or passed over) already
        if expected is not None and seq > expected:
            self.held.setdefault(stream_id, {})[seq] = message
            self._arm_gap_timer(stream_id)
            return
        # In order, or the first this hub sees.
        self.next_seq[stream_id] = seq + 1
        await self._fan_out(stream_id, "stream_event", message)
        await self._release(stream_id)

    async def _release(self, stream_id: int) -> None:
        """Hand on the held events that now follow without a gap."""
        held = self.held.get(stream_id, {})
        while (seq := self.next_seq[stream_id]) in held:
            self.next_seq[stream_id] = seq + 1
            await self._fan_out(stream_id, "stream_event", held.pop(seq))
        if not held:
            self.held.pop(stream_id, None)
            timer = self.gap_timers.pop(stream_id, None)
            if timer is not None:
                timer.cancel()
        else:
            self._arm_gap_timer(stream_id)  # the next gap waits its own turn

    def _arm_gap_timer(self, stream_id: int) -> None:
        if stream_id in self.gap_timers:
            return
        loop = asyncio.get_running_loop()
        self.gap_timers[stream_id] = loop.call_later(
            REORDER_WAIT, lambda: _keep(loop.create_task(self._fill_gap(stream_id)))
        )

    async def _fill_gap(self, stream_id: int) -> None:
        """The missing events did not come in time: read them from the log."""
        self.gap_timers.pop(stream_id, None)
        held = self.held.get(stream_id)
        if not held or stream_id not in self.next_seq:
            return
        first, before = self.next_seq[stream_id], min(held)
        try:
            missing = await db_call(self.stream.logged_broadcasts)(
                stream_id, first, before
            )
        except Exception:  # noqa: BLE001 - database hiccup: pass over, clients resync
            logger.exception("%s hub could not read a gap", self.stream.name)
            missing = None
        async with self.handing_on:
            if stream_id not in self.sockets:
                return  # everyone left meanwhile
            if missing is not None:
                for message in missing:  # those that came meanwhile are dropped
                    await self._in_order(stream_id, message["seq"], message)
            elif self.next_seq.get(stream_id) == first and self.held.get(stream_id):
                self.next_seq[stream_id] = min(self.held[stream_id])  # pass over
                await self._release(stream_id)
            if self.held.get(stream_id):
                self._arm_gap_timer(stream_id)

    async def _fan_out(self, stream_id: int, handler: str, message: dict) -> None:
        name = self.stream.name
        mark = message.get("stages")  # set only when stage timing is on
        received, started = time.time(), time.perf_counter()
        sockets = list(self.sockets.get(stream_id, ()))
        seq = message.get("seq") if handler == "stream_event" else None
        for consumer in sockets:
            if seq is not None and not consumer.takes(stream_id, seq):
                continue  # its resync held this event already
            try:
                await getattr(consumer, handler)(message)
            except Exception:  # noqa: BLE001 - one closing socket stops no one else
                logger.exception("%s fan-out to one socket failed", name)
        if mark is not None:
            stages.fanout(mark, stream_id, len(sockets), received, started)
