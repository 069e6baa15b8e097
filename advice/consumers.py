"""The chat protocol over WebSockets: `core.realtime` around `advice.services`.

- `ChatConsumer` (`ws/advice/chats/<id>/`): the resident — only the browser
  session that started the chat (`chats.resident_chat` with the key the session
  keeps); anyone else is closed before the socket is accepted.
- `DeskConsumer` (`ws/advice/desk/`): an advisor, holding several chats at once
  (the hub's streams of each held chat), or a supervisor, read-only. Both get
  the queue whole on every change (`queue {chats}`), filtered here from the one
  queue message to their cities and languages.

Frames are validated by `advice.protocol`, rate-limited per connection (the
board's buckets, closing a socket that goes on flooding) and per address, and
handed to one service each through `db_call` (core/realtime/dbcalls.py); a
service's refusal is answered with the protocol's error code and leaves nothing
written. A socket looks up its sender's membership once, not per message.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import has_role_anywhere
from advice import protocol, selectors
from advice.models import ChatMember, ChatStatus
from advice.retention import transcript_expired
from advice.rules import (
    advisor_city_ids,
    advisor_languages,
    advisor_profile,
    supervisor_city_ids,
)
from advice.services import chats, desk, presence
from advice.services.events import CHATS
from advice.services.queue import QUEUE_GROUP
from core.errors import error_text
from core.ratelimit import limit_exceeded
from core.realtime.consumer import StreamConsumer
from core.realtime.dbcalls import db_call
from core.realtime.hub import StreamHub
from core.realtime.presence import LeaseHeartbeat
from core.realtime.protocol import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    LOCKED,
    NOT_FOUND,
    RATE_LIMITED,
    Message,
    ProtocolError,
)
from core.realtime.streams import Applied

logger = logging.getLogger(__name__)

# Changes from one address a minute, over all its sockets (a school or library
# behind one address shares it; one socket's own flood is the bucket's).
CHANGES_PER_ADDRESS_PER_MINUTE = 6000
ERROR_CODES = {
    "not_found": NOT_FOUND,
    "closed": LOCKED,
    "rate_limited": RATE_LIMITED,
    "conflict": CONFLICT,
    "taken": CONFLICT,
    "full": CONFLICT,
}


class ChatHub(StreamHub):
    """The chats' one listener in this process, fanning out to their sockets."""

    stream = CHATS


class AdviceHeartbeat(LeaseHeartbeat):
    """Renews the presence lease of every chat and desk socket of this process."""

    interval = presence.PRESENCE_HEARTBEAT
    hub_class = ChatHub

    async def renew(self, channel_names: list[str]) -> None:
        await db_call(presence.presence_renew)(channel_names=channel_names)

    async def prune(self) -> None:
        await db_call(presence.presence_prune)()


def refusal(error: Exception, op: str = "") -> ProtocolError:
    """A service's refusal as the protocol's error."""
    code = getattr(error, "code", None)
    if isinstance(error, PermissionDenied):
        kind = FORBIDDEN
    else:
        kind = ERROR_CODES.get(code, INVALID)
    return ProtocolError(kind, error_text(error), op=op or None)


def _address(scope) -> str:
    client = scope.get("client") or ("unknown", 0)
    return hashlib.sha256(str(client[0]).encode()).hexdigest()[:24]


class AdviceSocket(StreamConsumer):
    """What both sides share: the hub, presence, typing, the per-address limit."""

    hub_class = ChatHub
    heartbeat_class = AdviceHeartbeat
    change_rate = 2
    change_burst = 10
    message_rates = {**StreamConsumer.message_rates, "typing": (1, 5)}

    def check_address(self, op: str) -> None:
        key = f"advice-ws:{_address(self.scope)}"
        if limit_exceeded(key, limit=CHANGES_PER_ADDRESS_PER_MINUTE, window_seconds=60):
            raise ProtocolError(
                RATE_LIMITED,
                _("Too many messages from your address; slow down."),
                op=op,
            )

    def applied(self, call, op: str) -> Applied:
        """Run one service on the database thread's side, refusals mapped."""
        self.check_address(op)
        try:
            return call()
        except (ValidationError, PermissionDenied) as error:
            raise refusal(error, op) from None

    async def signal(self, chat_id: int, author: str) -> None:
        """`typing`: to the chat's sockets, not stored, no number, no ack."""
        body = {"type": "typing", "author": author, "chat": chat_id}
        await self.channel_layer.group_send(
            CHATS.group(chat_id),
            {
                "type": f"{CHATS.name}.event",
                CHATS.name: chat_id,
                "text": json.dumps({"type": "event", "event": body}),
                "seq": None,
            },
        )


class ChatConsumer(AdviceSocket):
    chat = None
    member = None  # the resident's membership, looked up once per socket

    def open_stream(self) -> bool:
        chat_id = int(self.scope["url_route"]["kwargs"]["chat_id"])
        key = chats.session_chat_key(self.scope.get("session"), chat_id)
        chat = chats.resident_chat(
            chat_id=chat_id, key=key, user=self.scope.get("user")
        )
        if chat is None:
            return False  # unknown, or another resident's chat
        self.chat = chat
        self.stream_id = chat.pk
        self.member = chats.resident_member(chat)
        self.actor_id = self.member.pk
        return True

    def parse(self, raw: str | bytes | None) -> Message:
        return protocol.parse_resident(raw)

    def snapshot(self) -> dict[str, Any]:
        return selectors.chat_snapshot(chat=self.chat, viewer=selectors.RESIDENT)

    def events_since(self, last_seq: int) -> list[dict[str, Any]] | None:
        self.chat.refresh_from_db()
        if transcript_expired(self.chat):
            return None
        return CHATS.events_after(self.stream_id, last_seq, viewer_id=self.actor_id)

    def apply(self, message: Message) -> Applied:
        fields, op = message.fields, message.op
        if message.type == "message.send":
            return self.applied(
                lambda: chats.message_send(
                    chat=self.stream_id, text=fields["text"], op=op, member=self.member
                ),
                op,
            )
        if message.type == "chat.close":
            return self.applied(lambda: chats.chat_close(chat=self.chat, op=op), op)
        return self.applied(
            lambda: chats.rating_give(
                chat=self.chat,
                score=fields["score"],
                comment=fields.get("comment", ""),
                op=op,
            ),
            op,
        )

    async def change(self, message: Message) -> None:
        if message.type == "typing":
            await self.signal(self.stream_id, "resident")
            return
        await super().change(message)

    def presence_enter(self) -> None:
        presence.presence_enter_chat(
            chat_id=self.stream_id, channel_name=self.channel_name
        )

    def presence_leave(self) -> None:
        presence.presence_leave(channel_name=self.channel_name)


class DeskConsumer(AdviceSocket):
    """An advisor's desk: the queue, and every chat the advisor holds."""

    advisor = None
    held: set[int]
    # The advisor's membership of each held chat, looked up once per socket.
    members: dict[int, ChatMember]
    cities: set[int]
    languages: set[str]
    supervised: set[int]

    def open_stream(self) -> bool:
        user = self.scope.get("user")
        if not rules.has_perm("advice.use_desk", user):
            return False
        profile = advisor_profile(user)
        self.held, self.cities, self.languages = set(), set(), set()
        self.members = {}
        if profile is not None and has_role_anywhere(user, Role.ADVISOR):
            self.advisor = profile
            self.cities = advisor_city_ids(user)
            self.languages = advisor_languages(profile)
            self.held = set(selectors.held_chat_ids(profile))
        self.supervised = supervisor_city_ids(user)
        self.stream_id = 0  # the desk is no one stream: `held` are its streams
        self.actor_id = -1  # never an event's private reader or removed actor
        return True

    def parse(self, raw: str | bytes | None) -> Message:
        return protocol.parse_desk(raw)

    # --- Connecting: every held chat's stream, the queue, the advisor's group -----

    async def join_streams(self) -> None:
        hub = self.hub_class.running(self.channel_layer)
        for chat_id in sorted(self.held):
            await hub.join(chat_id, self)
        await self.channel_layer.group_add(QUEUE_GROUP, self.channel_name)
        if self.advisor is not None:
            await self.channel_layer.group_add(
                desk.advisor_group(self.advisor.pk), self.channel_name
            )

    async def leave_streams(self) -> None:
        hub = self.hub_class.running(self.channel_layer)
        for chat_id in list(self.held):
            await hub.leave(chat_id, self)
        await self.channel_layer.group_discard(QUEUE_GROUP, self.channel_name)
        if self.advisor is not None:
            await self.channel_layer.group_discard(
                desk.advisor_group(self.advisor.pk), self.channel_name
            )

    def presence_enter(self) -> None:
        if self.advisor is not None:
            presence.presence_enter_desk(
                advisor_id=self.advisor.pk, channel_name=self.channel_name
            )

    def presence_leave(self) -> None:
        presence.presence_leave(channel_name=self.channel_name)

    # --- hello {chats}: the desk, the queue, then each held chat resynced ---------

    def desk_state(self) -> dict[str, Any]:
        profile = self.advisor
        if profile is not None:
            profile.refresh_from_db(fields=["status", "max_chats", "display_name"])
        return {
            "type": "desk",
            "you": {
                "advisor": profile.pk if profile else None,
                "name": profile.display_name if profile else None,
                "status": profile.status if profile else None,
                "max_chats": profile.max_chats if profile else 0,
                "languages": sorted(self.languages),
                "cities": sorted(self.cities),
                "supervises": sorted(self.supervised),
                "read_only": profile is None,
            },
        }

    def queue_rows(self) -> list[dict[str, Any]]:
        from django.utils import timezone

        now = timezone.now()
        return [selectors.queue_item(c, now=now) for c in selectors.queued_chats()]

    def mine(self, row: dict[str, Any]) -> bool:
        """Whether a queue row is this desk's to see."""
        city = row["city"]
        if row["language"] in self.languages and (
            city in self.cities or (city is None and self.cities)
        ):
            return True
        return city in self.supervised or (city is None and bool(self.supervised))

    def resync_chat(self, chat_id: int, last_seq: int) -> list[dict[str, Any]]:
        from advice.models import Chat

        chat = Chat.objects.filter(pk=chat_id).first()
        if chat is None:
            return []
        if not transcript_expired(chat):
            events = CHATS.events_after(chat_id, last_seq, viewer_id=-1)
            if events is not None:
                return events
        return [selectors.chat_snapshot(chat=chat, viewer=selectors.ADVISOR)]

    async def hello(self, message: Message) -> None:
        await self.send_json(await db_call(self.desk_state)())
        rows = await db_call(self.queue_rows)()
        await self.send_json(
            {"type": "queue", "chats": [r for r in rows if self.mine(r)]}
        )
        wanted: dict[int, int] = message.fields["chats"]
        for chat_id in sorted(set(wanted) - self.held):
            await self.send_json(
                ProtocolError(
                    NOT_FOUND, _("You do not hold this chat."), chat=chat_id
                ).as_message()
            )
        for chat_id in sorted(self.held):
            frames = await db_call(self.resync_chat)(chat_id, wanted.get(chat_id, 0))
            await self.send_resync(chat_id, frames)

    def snapshot(self) -> dict[str, Any]:  # pragma: no cover - `hello` resyncs each
        return self.desk_state()

    def events_since(self, last_seq: int) -> None:  # pragma: no cover - as above
        return None

    # --- Changes -------------------------------------------------------------------

    def apply(self, message: Message) -> Applied:
        if self.advisor is None:
            raise ProtocolError(
                FORBIDDEN,
                _("Supervisors follow the queues; they do not chat."),
                op=message.op,
            )
        fields, op, advisor = message.fields, message.op, self.advisor
        kind = message.type
        if kind == "status.set":

            def call():
                desk.advisor_status_set(advisor=advisor, status=fields["status"])
                return Applied(op=op, seq=0)

        elif kind == "chat.accept":

            def call():
                return desk.chat_accept(advisor=advisor, chat_id=fields["chat"], op=op)

        elif kind == "message.send":

            def call():
                chat_id = fields["chat"]
                member = self.membership(chat_id)
                return chats.message_send(
                    chat=chat_id if member else desk._chat(chat_id),
                    text=fields["text"],
                    op=op,
                    advisor=advisor,
                    member=member,
                )

        elif kind == "chat.transfer":

            def call():
                return desk.chat_transfer(
                    advisor=advisor,
                    chat_id=fields["chat"],
                    to=fields["to"],
                    city=fields["city"] if "city" in fields else desk.KEEP,
                    language=fields.get("language"),
                    note=fields.get("note", ""),
                    op=op,
                )

        elif kind == "note.add":

            def call():
                desk.note_add(
                    advisor=advisor, chat_id=fields["chat"], text=fields["text"], op=op
                )
                return Applied(op=op, seq=0)

        elif kind == "chat.close":

            def call():
                return desk.desk_close(advisor=advisor, chat_id=fields["chat"], op=op)

        else:  # chat.block

            def call():
                return desk.chat_block(advisor=advisor, chat_id=fields["chat"], op=op)

        return self.applied(call, op)

    def membership(self, chat_id: int) -> ChatMember | None:
        """The advisor's membership of a chat this desk holds (kept per socket),
        or None: then `message_send` looks it up (and refuses a chat not held)."""
        if chat_id not in self.held:
            return None
        member = self.members.get(chat_id)
        if member is None:
            member = selectors.advisor_membership(chat_id, self.advisor)
            if member is not None:
                self.members[chat_id] = member
        return member

    async def change(self, message: Message) -> None:
        if message.type == "typing":
            chat_id = message.fields["chat"]
            if chat_id not in self.held:
                raise ProtocolError(FORBIDDEN, _("You do not hold this chat."))
            await self.signal(chat_id, "advisor")
            return
        applied = await db_call(self.apply)(message)
        # Committed: ack now. Status and notes are in no chat's log (seq null).
        ack: dict[str, Any] = {
            "type": "ack",
            "op": applied.op,
            "seq": applied.seq or None,
        }
        if "chat" in message.fields:
            ack["chat"] = message.fields["chat"]
        await self.send_json(ack)

    # --- From the hub and the groups -------------------------------------------------

    async def stream_event(self, message: dict) -> None:
        await self.send(text_data=message["text"])
        text = message["text"]
        if '"chat.closed"' in text or '"chat.transferred"' in text:
            chat_id = message.get(CHATS.name)
            still = await db_call(self._holds)(chat_id)
            if not still:
                await self._drop(chat_id)

    def _holds(self, chat_id: int) -> bool:
        from advice.models import Chat

        return Chat.objects.filter(
            pk=chat_id, advisor=self.advisor, status=ChatStatus.ACTIVE
        ).exists()

    async def _drop(self, chat_id: int) -> None:
        if chat_id in self.held:
            self.held.discard(chat_id)
            self.members.pop(chat_id, None)
            await self.hub_class.running(self.channel_layer).leave(chat_id, self)

    async def advice_queue(self, message: dict) -> None:
        rows = [row for row in message["chats"] if self.mine(row)]
        await self.send_json({"type": "queue", "chats": rows})

    async def advice_desk_join(self, message: dict) -> None:
        chat_id = message["chat"]
        if chat_id not in self.held:
            self.held.add(chat_id)
            await self.hub_class.running(self.channel_layer).join(chat_id, self)
        frames = await db_call(self.resync_chat)(chat_id, 0)
        await self.send_resync(chat_id, frames)

    async def advice_desk_leave(self, message: dict) -> None:
        # Sent by a process still running the version before the desk left on
        # the chat's own event (a rolling deploy); the event drops it too.
        await self._drop(message["chat"])

    async def advice_desk_note(self, message: dict) -> None:
        await self.send_json(
            {"type": "note", "chat": message["chat"], "note": message["note"]}
        )
