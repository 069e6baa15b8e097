"""The board protocol over WebSockets: `core.realtime` around `workshops.services`.

Each frame is validated by `protocol.parse`, rate-limited per connection, and handed
to one service through `db_call` (core/realtime/dbcalls.py); `StreamConsumer`
runs resync, acks and the fan-out. A hidden card's full text is sent only to its
author's sockets (the others get it withheld), and never to a presenter socket
(`?present=1`, the room's screen), whoever's session opened it.
"""

from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs

from django.utils.translation import gettext as _

from core.ratelimit import TokenBucket
from core.realtime.consumer import CLOSE_REMOVED, StreamConsumer
from core.realtime.dbcalls import db_call
from core.realtime.hub import StreamHub
from core.realtime.presence import LeaseHeartbeat
from core.realtime.protocol import FORBIDDEN, ProtocolError
from core.realtime.streams import Applied
from workshops import protocol, selectors, services

# Changes a connection may send: a steady 10 a second, bursts of 20.
CHANGE_RATE = 10
CHANGE_BURST = 20

__all__ = ["CLOSE_REMOVED", "BoardConsumer", "BoardHub", "PresenceHeartbeat"]


class BoardHub(StreamHub):
    """The board groups' one listener in this process, fanning out to its sockets."""

    stream = services.BOARDS


class PresenceHeartbeat(LeaseHeartbeat):
    """Renews the presence lease of every board socket this process serves.

    Every PRESENCE_HEARTBEAT seconds one UPDATE renews all its sockets' rows, then
    rows whose lease ran out (left by a process that died) are pruned.
    """

    interval = services.PRESENCE_HEARTBEAT
    hub_class = BoardHub

    async def renew(self, channel_names: list[str]) -> None:
        await db_call(services.presence_renew)(channel_names=channel_names)

    async def prune(self) -> None:
        await db_call(services.presence_prune)()


class BoardConsumer(StreamConsumer):
    hub_class = BoardHub
    heartbeat_class = PresenceHeartbeat
    access: services.BoardAccess | None = None

    def rate_limit(self) -> TokenBucket:
        return TokenBucket(rate=CHANGE_RATE, burst=CHANGE_BURST)

    def open_stream(self) -> bool:
        self.access = services.board_connect(
            board_id=int(self.scope["url_route"]["kwargs"]["board_id"]),
            user=self.scope.get("user"),
            session=self.scope.get("session"),
        )
        if self.access is None:
            return False  # unknown board, or not a participant of its workshop
        if is_presenter(self.scope):
            self.access = replace(self.access, presenter=True)
        self.stream_id = self.access.board_id
        self.actor_id = self.access.participant_id
        return True

    def parse(self, raw: str | bytes | None) -> protocol.Message:
        return protocol.parse(raw)

    def snapshot(self) -> dict[str, Any]:
        return selectors.board_snapshot(access=self.access, user=self.scope.get("user"))

    def events_since(self, last_seq: int) -> list[dict[str, Any]] | None:
        return selectors.board_events_since(access=self.access, last_seq=last_seq)

    def apply(self, message: protocol.Message) -> Applied:
        if self.access.presenter:
            raise ProtocolError(
                FORBIDDEN,
                _("The presenter view only shows the board."),
                op=message.op,
            )
        return services.board_change(
            access=self.access, user=self.scope.get("user"), message=message
        )

    def presence_enter(self) -> None:
        services.presence_enter(access=self.access, channel_name=self.channel_name)

    def presence_leave(self) -> None:
        services.presence_leave(
            board_id=self.access.board_id, channel_name=self.channel_name
        )

    async def stream_event(self, message: dict) -> None:
        if self.access is not None and self.access.presenter:
            # The room's screen gets what everyone gets, never an author's copy.
            message = {**message, "private_to": None}
        await super().stream_event(message)


def is_presenter(scope: dict) -> bool:
    """The socket was opened for the presenter view (`?present=1`)."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("present") == ["1"]
