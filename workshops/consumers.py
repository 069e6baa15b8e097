"""The board protocol over WebSockets: a thin adapter around `workshops.services`.

Each frame is validated by `protocol.parse`, rate-limited per connection, and handed
to one service through `database_sync_to_async`. Events reach the connection through
the channel layer: the board's group carries every event once, encoded; a hidden
card's full text is sent only to its author's sockets (the others get it withheld).
"""

import asyncio
import logging

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from core.ratelimit import TokenBucket
from workshops import protocol, services
from workshops.protocol import ProtocolError

# Changes a connection may send: a steady 10 a second, bursts of 20.
CHANGE_RATE = 10
CHANGE_BURST = 20
# Close code for a participant a facilitator removed (4000–4999 are ours).
CLOSE_REMOVED = 4403

logger = logging.getLogger(__name__)


class BoardConsumer(AsyncJsonWebsocketConsumer):
    access: services.BoardAccess | None = None

    async def connect(self) -> None:
        board_id = int(self.scope["url_route"]["kwargs"]["board_id"])
        self.access = await database_sync_to_async(services.board_connect)(
            board_id=board_id,
            user=self.scope.get("user"),
            session=self.scope.get("session"),
        )
        if self.access is None:
            # Unknown board, or not a participant of its workshop: refuse.
            await self.close()
            return
        self.bucket = TokenBucket(rate=CHANGE_RATE, burst=CHANGE_BURST)
        await self.accept()
        await BoardHub.running(self.channel_layer).join(board_id, self)
        await database_sync_to_async(services.presence_enter)(
            access=self.access, channel_name=self.channel_name
        )
        PresenceHeartbeat.running().add(self.channel_name)

    async def disconnect(self, code: int) -> None:
        if self.access is None:
            return
        await BoardHub.running(self.channel_layer).leave(self.access.board_id, self)
        PresenceHeartbeat.running().discard(self.channel_name)
        await database_sync_to_async(services.presence_leave)(
            board_id=self.access.board_id, channel_name=self.channel_name
        )

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            message = protocol.parse(text_data if text_data is not None else bytes_data)
            if message.type == "ping":
                await self.send_json({"type": "pong"})
            elif message.type == "hello":
                await self._hello(message.fields["last_seq"])
            else:
                await self._change(message)
        except ProtocolError as error:
            await self.send_json(error.as_message())

    async def _hello(self, last_seq: int) -> None:
        events = await database_sync_to_async(services.board_events_since)(
            access=self.access, last_seq=last_seq
        )
        if events is None:
            snapshot = await database_sync_to_async(services.board_snapshot)(
                access=self.access
            )
            await self.send_json(snapshot)
            return
        for event in events:
            await self.send_json(event)

    async def _change(self, message: protocol.Message) -> None:
        if not self.bucket.take():
            raise ProtocolError(
                protocol.RATE_LIMITED, "Too many changes; slow down.", op=message.op
            )
        applied = await database_sync_to_async(services.board_change)(
            access=self.access, user=self.scope.get("user"), message=message
        )
        await self.send_json({"type": "ack", "op": applied.op, "seq": applied.seq})

    # --- Channel-layer messages --------------------------------------------------

    async def dispatch(self, message: dict) -> None:
        """Run the handler, without Channels' per-message database hop.

        Channels ≥ 4.2 runs `close_old_connections` on the database thread before
        every message, queued behind the board changes on the process's single
        database thread. Every database call of this consumer goes through
        `database_sync_to_async`, which closes old connections around the call.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- Messages from the board hub (one per event, for every socket) ----------

    async def board_event(self, message: dict) -> None:
        # Encoded once by the service; only comparisons per recipient here.
        if message.get("private_to") == self.access.participant_id:
            await self.send(text_data=message["private_text"])
        else:
            await self.send(text_data=message["text"])
        if message.get("removed") == self.access.participant_id:
            await self.close(code=CLOSE_REMOVED)

    async def board_presence(self, message: dict) -> None:
        await self.send(text_data=message["text"])  # encoded once by the service


class BoardHub:
    """The board groups' one listener in this process, fanning out to its sockets.

    One per event loop (so one per daphne process). Instead of every socket being a
    member of its board's group, with the channel layer queueing a copy of each
    event for each socket, the hub's one channel is the member and the hub hands
    each event straight to the board's sockets here: the channel layer carries one
    message per event per process whatever the number of participants.
    """

    _by_loop: dict[asyncio.AbstractEventLoop, "BoardHub"] = {}

    def __init__(self, layer) -> None:
        self.layer = layer
        self.channel: str | None = None
        self.sockets: dict[int, set[BoardConsumer]] = {}
        self.reader: asyncio.Task | None = None

    @classmethod
    def running(cls, layer) -> "BoardHub":
        loop = asyncio.get_running_loop()
        hub = cls._by_loop.get(loop)
        if hub is None or hub.layer is not layer:
            hub = cls._by_loop[loop] = cls(layer)
        return hub

    async def join(self, board_id: int, consumer: "BoardConsumer") -> None:
        if self.channel is None:
            # The default prefix: channels_redis reads one process-local prefix.
            channel = await self.layer.new_channel()
            if self.channel is None:  # not set by another join meanwhile
                self.channel = channel
                self.reader = asyncio.get_running_loop().create_task(self._read())
        sockets = self.sockets.get(board_id)
        if sockets is None:
            sockets = self.sockets[board_id] = set()
            sockets.add(consumer)
            await self.layer.group_add(services.board_group(board_id), self.channel)
        else:
            sockets.add(consumer)

    async def leave(self, board_id: int, consumer: "BoardConsumer") -> None:
        sockets = self.sockets.get(board_id)
        if sockets is None:
            return
        sockets.discard(consumer)
        if sockets:
            return
        del self.sockets[board_id]
        group = services.board_group(board_id)
        await self.layer.group_discard(group, self.channel)
        if board_id in self.sockets:
            # Someone joined this board while we were leaving it: their group_add
            # may have reached the layer before our discard, so add it again.
            await self.layer.group_add(group, self.channel)
            return
        if not self.sockets and self.reader is not None:
            self.reader.cancel()
            self.reader, self.channel = None, None
            self._by_loop.pop(asyncio.get_running_loop(), None)

    async def renew(self) -> None:
        """Re-add the hub to its groups (the Redis layer expires memberships)."""
        for board_id in list(self.sockets):
            await self.layer.group_add(services.board_group(board_id), self.channel)

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - layer hiccup; clients resync by seq
                logger.exception("board hub could not read from the channel layer")
                await asyncio.sleep(1)
                continue
            handler = {
                "board.event": BoardConsumer.board_event,
                "board.presence": BoardConsumer.board_presence,
            }.get(message.get("type"))
            if handler is None:
                continue
            for consumer in list(self.sockets.get(message.get("board"), ())):
                try:
                    await handler(consumer, message)
                except Exception:  # noqa: BLE001 - one closing socket stops no one else
                    logger.exception("board fan-out to one socket failed")


class PresenceHeartbeat:
    """Renews the presence lease of every board socket this process serves.

    One per event loop (so one per daphne process): every PRESENCE_HEARTBEAT
    seconds one UPDATE renews all its sockets' rows, then rows whose lease ran out
    (left by a process that died) are pruned. It runs while it has sockets.
    """

    _by_loop: dict[asyncio.AbstractEventLoop, "PresenceHeartbeat"] = {}

    def __init__(self) -> None:
        self.channel_names: set[str] = set()
        self.task: asyncio.Task | None = None

    @classmethod
    def running(cls) -> "PresenceHeartbeat":
        loop = asyncio.get_running_loop()
        beat = cls._by_loop.get(loop)
        if beat is None:
            beat = cls._by_loop[loop] = cls()
        return beat

    def add(self, channel_name: str) -> None:
        self.channel_names.add(channel_name)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, channel_name: str) -> None:
        self.channel_names.discard(channel_name)
        if not self.channel_names and self.task is not None:
            self.task.cancel()
            self.task = None
            self._by_loop.pop(asyncio.get_running_loop(), None)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(services.PRESENCE_HEARTBEAT)
            try:
                await self.beat()
            except Exception:  # noqa: BLE001 - try again at the next beat
                logger.exception("presence heartbeat failed")

    async def beat(self) -> None:
        hub = BoardHub._by_loop.get(asyncio.get_running_loop())
        if hub is not None:
            await hub.renew()
        await database_sync_to_async(services.presence_renew)(
            channel_names=list(self.channel_names)
        )
        await database_sync_to_async(services.presence_prune)()
