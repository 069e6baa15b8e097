"""The per-process fan-out hub of a kind of stream.

Instead of every socket being a member of its stream's group, with the channel
layer queueing a copy of each event for each socket, the hub's one channel is the
member and the hub hands each event straight to the stream's sockets in this
process: the channel layer carries one message per event per process whatever the
number of participants. One hub per event loop (so one per daphne process) and
per subclass.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, ClassVar

from core.realtime import stages
from core.realtime.streams import Stream

logger = logging.getLogger(__name__)


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

    async def leave(self, stream_id: int, consumer: Any) -> None:
        sockets = self.sockets.get(stream_id)
        if sockets is None:
            return
        sockets.discard(consumer)
        if sockets:
            return
        del self.sockets[stream_id]
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
            mark = message.get("stages")  # set only when stage timing is on
            received, started = time.time(), time.perf_counter()
            sockets = list(self.sockets.get(message.get(name), ()))
            for consumer in sockets:
                try:
                    await getattr(consumer, handler)(message)
                except Exception:  # noqa: BLE001 - one closing socket stops no one else
                    logger.exception("%s fan-out to one socket failed", name)
            if mark is not None:
                stages.fanout(mark, message.get(name), len(sockets), received, started)
