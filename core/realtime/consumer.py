"""The WebSocket side of a stream: resync, changes acked after commit, fan-out.

A subclass says who the socket is (`open_stream`), how frames parse, and which
services answer (`snapshot`, `events_since`, `apply`, presence); this class runs
the protocol around them. Every database call goes through
`database_sync_to_async`; no ORM call is made here.
"""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import DatabaseError

from core.ratelimit import TokenBucket
from core.realtime.hub import StreamHub
from core.realtime.presence import LeaseHeartbeat
from core.realtime.protocol import RATE_LIMITED, Message, ProtocolError
from core.realtime.streams import Applied

logger = logging.getLogger(__name__)

# Close code for an actor removed from the stream (4000–4999 are ours).
CLOSE_REMOVED = 4403
# "Try Again Later" (RFC 6455): no database connection could be had in time (the
# pool is exhausted) or the database failed. Nothing half-done was committed; the
# client reconnects with backoff, resyncs and re-sends its unacknowledged changes,
# which `op` applies once.
CLOSE_TRY_AGAIN = 1013


class StreamConsumer(AsyncJsonWebsocketConsumer, metaclass=ABCMeta):
    """Runs the stream protocol; a subclass (one per kind of stream) provides the
    abstract methods below."""

    hub_class: ClassVar[type[StreamHub]]
    heartbeat_class: ClassVar[type[LeaseHeartbeat]]
    # Changes a connection may send: a steady `change_rate` a second, bursts of
    # `change_burst`.
    change_rate: ClassVar[float] = 10
    change_burst: ClassVar[int] = 20

    stream_id: int | None = None
    actor_id: int | None = None

    # --- What a subclass provides (sync ones run on the database thread) ---------

    @abstractmethod
    def open_stream(self) -> bool:
        """Decide who this socket is; set `stream_id` and `actor_id`, or refuse."""

    @abstractmethod
    def parse(self, raw: str | bytes | None) -> Message:
        """Validate one frame; raise ProtocolError (`invalid`, `too_large`)."""

    @abstractmethod
    def snapshot(self) -> dict[str, Any]:
        """The whole stream as this socket may see it, with its `seq`."""

    @abstractmethod
    def events_since(self, last_seq: int) -> list[dict[str, Any]] | None:
        """The events after `last_seq` in order, or None when a snapshot is due."""

    @abstractmethod
    def apply(self, message: Message) -> Applied:
        """Apply one change in one transaction; raise ProtocolError to refuse it."""

    @abstractmethod
    def presence_enter(self) -> None:
        """Record this socket as present (a leased row) and tell the stream."""

    @abstractmethod
    def presence_leave(self) -> None:
        """Remove this socket's presence row and tell the stream."""

    def rate_limit(self) -> TokenBucket:
        """The change budget of one connection."""
        return TokenBucket(rate=self.change_rate, burst=self.change_burst)

    # --- The protocol --------------------------------------------------------------

    async def connect(self) -> None:
        try:
            opened = await database_sync_to_async(self.open_stream)()
        except DatabaseError:
            logger.warning("No database for a new stream socket", exc_info=True)
            opened = False
        if not opened:
            await self.close()
            return
        self.bucket = self.rate_limit()
        await self.accept()
        await self.hub_class.running(self.channel_layer).join(self.stream_id, self)
        try:
            await database_sync_to_async(self.presence_enter)()
        except DatabaseError:
            logger.warning("No database to enter presence", exc_info=True)
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        self.heartbeat_class.running().add(self.channel_name)

    async def disconnect(self, code: int) -> None:
        if self.stream_id is None:
            return
        await self.hub_class.running(self.channel_layer).leave(self.stream_id, self)
        self.heartbeat_class.running().discard(self.channel_name)
        try:
            await database_sync_to_async(self.presence_leave)()
        except DatabaseError:
            # The lease runs out on its own: without this socket's heartbeat
            # the row drops out of presence lists and the next prune removes it.
            logger.warning("No database to leave presence", exc_info=True)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            message = self.parse(text_data if text_data is not None else bytes_data)
            if message.type == "ping":
                await self.send_json({"type": "pong"})
            elif message.type == "hello":
                await self.resync(message.fields["last_seq"])
            else:
                await self.change(message)
        except ProtocolError as error:
            await self.send_json(error.as_message())
        except DatabaseError:
            logger.warning(
                "Database failed on stream %s", self.stream_id, exc_info=True
            )
            await self.close(code=CLOSE_TRY_AGAIN)

    async def resync(self, last_seq: int) -> None:
        """`hello {last_seq}`: exactly the missed events, or a snapshot."""
        events = await database_sync_to_async(self.events_since)(last_seq)
        if events is None:
            await self.send_json(await database_sync_to_async(self.snapshot)())
            return
        for event in events:
            await self.send_json(event)

    async def change(self, message: Message) -> None:
        if not self.bucket.take():
            raise ProtocolError(
                RATE_LIMITED, "Too many changes; slow down.", op=message.op
            )
        applied = await database_sync_to_async(self.apply)(message)
        # The service returned, so its transaction committed: ack only now.
        await self.send_json({"type": "ack", "op": applied.op, "seq": applied.seq})

    # --- Channel-layer messages ----------------------------------------------------

    async def dispatch(self, message: dict) -> None:
        """Run the handler, without Channels' per-message database hop.

        Channels ≥ 4.2 runs `close_old_connections` on the database thread before
        every message, queued behind the changes on the process's single database
        thread. Every database call of this consumer goes through
        `database_sync_to_async`, which closes old connections around the call.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- From the hub (one message per event, for every socket) -------------------

    async def stream_event(self, message: dict) -> None:
        # Encoded once by the service; only comparisons per recipient here.
        if message.get("private_to") == self.actor_id:
            await self.send(text_data=message["private_text"])
        else:
            await self.send(text_data=message["text"])
        if message.get("removed") == self.actor_id:
            await self.close(code=CLOSE_REMOVED)

    async def stream_presence(self, message: dict) -> None:
        await self.send(text_data=message["text"])  # encoded once by the service
