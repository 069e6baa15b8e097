"""The board protocol over WebSockets: a thin adapter around `workshops.services`.

Each frame is validated by `protocol.parse`, rate-limited per connection, and handed
to one service through `database_sync_to_async`. Events reach the connection through
the channel layer: the board's group carries every event (with hidden card text
withheld), the participant's own group carries the full text of their hidden cards.
"""

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
        self.groups_joined = [
            services.board_group(board_id),
            services.participant_group(board_id, self.access.participant_id),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await database_sync_to_async(services.presence_enter)(
            access=self.access, channel_name=self.channel_name
        )

    async def disconnect(self, code: int) -> None:
        if self.access is None:
            return
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
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

    async def board_event(self, message: dict) -> None:
        if message.get("private_to") == self.access.participant_id:
            return  # this participant gets the full text on their own group
        await self.send(text_data=message["text"])  # encoded once by the service
        if message.get("removed") == self.access.participant_id:
            await self.close(code=CLOSE_REMOVED)

    async def board_presence(self, message: dict) -> None:
        await self.send_json(
            {"type": "presence", "participants": message["participants"]}
        )
