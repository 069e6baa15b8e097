"""The WebSocket side of a stream: resync, changes acked after commit, fan-out.

A subclass says who the socket is (`open_stream`), how frames parse, and which
services answer (`snapshot`, `events_since`, `apply`, presence); this class runs
the protocol around them. Every database call goes through `dbcalls.db_call`
(`database_sync_to_async` on the stream threads); no ORM call is made here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from core.ratelimit import TokenBucket
from core.realtime import stages
from core.realtime.dbcalls import db_call
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
# What closes a socket with `CLOSE_TRY_AGAIN`: the database, or Redis behind the
# cache (rate limits) or the channel layer, failed or could not be reached.
BACKEND_ERRORS = (DatabaseError, RedisError, ConnectionInterrupted)
# No client frame for `REALTIME_IDLE_TIMEOUT` seconds (clients ping every 25 s):
# the client is gone or stuck; a live one reconnects and resyncs.
CLOSE_IDLE = 4000
# More bytes were sent to the socket than its budget allows: it is not reading
# what it is sent (or asks for far more than a board needs). daphne does not
# bound its transport buffer (django/daphne#170), so the bound is kept here.
CLOSE_OVER_BUDGET = 4008
# The socket kept sending after being told `rate_limited` (more than
# `refusal_burst` refusals, refilled one a second): answering a flood frame by
# frame costs the server more than the flood costs the client.
CLOSE_FLOODING = 4029
# The actor has as many sockets on this stream as one may (`presence_enter`).
CLOSE_TOO_MANY_SOCKETS = 4429


class StreamConsumer(AsyncJsonWebsocketConsumer, metaclass=ABCMeta):
    """Runs the stream protocol; a subclass (one per kind of stream) provides the
    abstract methods below."""

    hub_class: ClassVar[type[StreamHub]]
    heartbeat_class: ClassVar[type[LeaseHeartbeat]]
    # Changes a connection may send: a steady `change_rate` a second, bursts of
    # `change_burst`.
    change_rate: ClassVar[float] = 10
    change_burst: ClassVar[int] = 20
    # Every other message type has its own bucket: (a second, burst). A `hello`
    # may cost a whole snapshot on the process's one database thread, so it is
    # the strictest (3, then one per 5 s); clients send one per (re)connect and
    # a ping every 25 s.
    message_rates: ClassVar[dict[str, tuple[float, int]]] = {
        "hello": (0.2, 3),
        "ping": (2, 4),
    }
    refusal_rate: ClassVar[float] = 1
    refusal_burst: ClassVar[int] = 20

    stream_id: int | None = None
    actor_id: int | None = None
    closing: bool = False  # closed (or being closed) by us: send nothing more

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per stream: the last numbered event this socket was sent.
        self.seq_sent: dict[int, int] = {}

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

    def _limits_start(self) -> None:
        self.bucket = self.rate_limit()
        self.buckets = {
            kind: TokenBucket(rate=rate, burst=burst)
            for kind, (rate, burst) in self.message_rates.items()
        }
        budget = settings.REALTIME_SEND_BUDGET_BYTES
        self.send_budget = TokenBucket(
            rate=budget / settings.REALTIME_SEND_BUDGET_WINDOW, burst=budget
        )
        self.refusals = TokenBucket(rate=self.refusal_rate, burst=self.refusal_burst)
        self.closing = False
        self.last_frame = time.monotonic()
        self.idle_timer: asyncio.TimerHandle | None = None
        self._idle_arm(settings.REALTIME_IDLE_TIMEOUT)

    def _take(self, kind: str) -> bool:
        """Spend one token of the message type's bucket (changes share one)."""
        return self.buckets.get(kind, self.bucket).take()

    # --- Idle sockets and the outbound budget ----------------------------------------

    def _idle_arm(self, delay: float) -> None:
        # One timer per socket, re-armed only when it fires (not on every frame).
        loop = asyncio.get_running_loop()
        self.idle_timer = loop.call_later(delay, self._idle_check)

    def _idle_check(self) -> None:
        timeout = settings.REALTIME_IDLE_TIMEOUT
        silent = time.monotonic() - self.last_frame
        if self.closing:
            return
        if silent >= timeout:
            logger.info("Closing stream socket %s: idle", self.channel_name)
            asyncio.get_running_loop().create_task(self.close_with(CLOSE_IDLE, "idle"))
        else:
            self._idle_arm(timeout - silent)

    async def close_with(self, code: int, reason: str) -> None:
        """Close once, with a code and a reason; nothing is sent afterwards."""
        if self.closing:
            return
        self.closing = True
        if self.idle_timer is not None:
            self.idle_timer.cancel()
        await self.close(code=code, reason=reason)

    async def send(self, text_data=None, bytes_data=None, close=False) -> None:
        """Every frame to the client passes here: it is counted against the
        socket's byte budget (JSON is ASCII, so characters are bytes)."""
        if self.closing:
            return  # closed by us: whatever the hub still hands over is dropped
        if hasattr(self, "send_budget") and not close:
            size = len(text_data) if text_data is not None else len(bytes_data or b"")
            if not self.send_budget.take(size):
                logger.info("Closing stream socket %s: over budget", self.channel_name)
                await self.close_with(CLOSE_OVER_BUDGET, "over budget")
                return
        await super().send(text_data=text_data, bytes_data=bytes_data, close=close)

    async def send_json(self, content, close=False) -> None:
        # Channels' send_json skips our `send`; route it through the budget.
        await self.send(text_data=await self.encode_json(content), close=close)

    # --- The protocol --------------------------------------------------------------

    async def connect(self) -> None:
        try:
            opened = await db_call(self.open_stream)()
        except BACKEND_ERRORS:
            logger.warning("No database for a new stream socket", exc_info=True)
            opened = False
        if not opened:
            await self.close()
            return
        await self.accept()
        self._limits_start()
        await self.join_streams()
        try:
            await db_call(self.presence_enter)()
        except ProtocolError as error:  # too many sockets: say why, then close
            await self.send_json(error.as_message())
            await self.close_with(CLOSE_TOO_MANY_SOCKETS, "too many sockets")
            return
        except BACKEND_ERRORS:
            logger.warning("No database to enter presence", exc_info=True)
            await self.close_with(CLOSE_TRY_AGAIN, "try again")
            return
        self.heartbeat_class.running().add(self.channel_name)

    async def disconnect(self, code: int) -> None:
        if self.stream_id is None:
            return
        self.closing = True
        if getattr(self, "idle_timer", None) is not None:
            self.idle_timer.cancel()
        await self.leave_streams()
        self.heartbeat_class.running().discard(self.channel_name)
        try:
            await db_call(self.presence_leave)()
        except BACKEND_ERRORS:
            # The lease runs out on its own: without this socket's heartbeat
            # the row drops out of presence lists and the next prune removes it.
            logger.warning("No database to leave presence", exc_info=True)

    async def join_streams(self) -> None:
        """Join the hub (and any groups) this socket listens on; a socket holding
        several streams (the advice desk) joins each."""
        await self.hub_class.running(self.channel_layer).join(self.stream_id, self)

    async def leave_streams(self) -> None:
        await self.hub_class.running(self.channel_layer).leave(self.stream_id, self)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        self.last_frame = time.monotonic()
        if self.closing:
            return
        try:
            message = self.parse(text_data if text_data is not None else bytes_data)
            if not self._take(message.type):
                if not self.refusals.take():
                    await self.close_with(CLOSE_FLOODING, "flooding")
                    return
                raise ProtocolError(
                    RATE_LIMITED,
                    _("Too many messages in a short time; slow down."),
                    op=message.op,
                )
            if message.type == "ping":
                await self.send_json({"type": "pong"})
            elif message.type == "hello":
                await self.hello(message)
            else:
                await self.change(message)
        except ProtocolError as error:
            await self.send_json(error.as_message())
        except BACKEND_ERRORS:
            logger.warning(
                "Database or Redis failed on stream %s", self.stream_id, exc_info=True
            )
            await self.close_with(CLOSE_TRY_AGAIN, "try again")

    async def hello(self, message: Message) -> None:
        """`hello`: resync the stream. A consumer holding several streams (the
        advice desk) overrides it to resync each one its client names."""
        await self.resync(message.fields["last_seq"])

    async def resync(self, last_seq: int) -> None:
        """`hello {last_seq}`: exactly the missed events, or a snapshot."""
        events = await db_call(self.events_since)(last_seq)
        if events is None:
            events = [await db_call(self.snapshot)()]
        await self.send_resync(self.stream_id, events)

    async def send_resync(self, stream_id: int, frames: list[dict[str, Any]]) -> None:
        """Send a stream's snapshot or missed events; the hub then knows where the
        stream's order stands for this process (`StreamHub.expect`), so an event
        another process published cannot overtake one still in this one's outbox."""
        for frame in frames:
            await self.send_json(frame)
        if frames:
            self.seq_sent[stream_id] = frames[-1]["seq"]
            hub = self.hub_class.running(self.channel_layer)
            hub.expect(stream_id, frames[-1]["seq"] + 1)

    def takes(self, stream_id: int, seq: int) -> bool:
        """Whether numbered event `seq` is new to this socket (then noted as
        sent). A resync reads the log while the hub goes on handing events on, so
        the hub may bring an event the snapshot already held: after a snapshot
        or resync a socket's events go on from its last `seq`, never back."""
        if seq <= self.seq_sent.get(stream_id, 0):
            return False
        self.seq_sent[stream_id] = seq
        return True

    async def change(self, message: Message) -> None:
        timing = stages.start(self.stream_id, message.op)
        if timing is None:
            applied = await db_call(self.apply)(message)
            # The service returned, so its transaction committed: ack only now.
            await self.send_json({"type": "ack", "op": applied.op, "seq": applied.seq})
            return
        try:
            applied = await db_call(stages.entered(self.apply))(message)
        except ProtocolError as error:
            timing.finish(refused=error.code)
            raise
        finally:
            stages.stop()
        timing.lap("return")
        await self.send_json({"type": "ack", "op": applied.op, "seq": applied.seq})
        timing.lap("ack")
        timing.finish(seq=applied.seq, duplicate=applied.duplicate)

    # --- Channel-layer messages ----------------------------------------------------

    async def dispatch(self, message: dict) -> None:
        """Run the handler, without Channels' per-message database hop.

        Channels ≥ 4.2 runs `close_old_connections` on the database thread before
        every message, queued behind the changes on the process's single database
        thread. Every database call of this consumer goes through `db_call`
        (`database_sync_to_async`), which closes old connections around the call.
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
            await self.close_with(CLOSE_REMOVED, "removed")

    async def stream_presence(self, message: dict) -> None:
        await self.send(text_data=message["text"])  # encoded once by the service
