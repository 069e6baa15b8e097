"""A resident's chat: starting it, the access check, messages, closing, the rating.

The resident needs no account: `chat_start` hands back a secret key the browser
session keeps (`chat_remember`), and `resident_chat` is the one access check of
the chat page, its form posts and its socket. `message_send` and `chat_close`
serve both sides (the advisor passes `advisor`), so the socket and the pages'
form posts share one implementation.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advice import selectors
from advice.hours import desk_is_open
from advice.languages import ALWAYS_OFFERED, is_known
from advice.models import (
    FIRST_QUESTION_MAX,
    MESSAGE_TEXT_MAX,
    RATING_COMMENT_MAX,
    AdviceTopic,
    AdvisorProfile,
    Author,
    Chat,
    ChatMember,
    ChatMessage,
    ChatStatus,
    resident_key_hash,
)
from advice.registrations import OFFLINE_KIND
from advice.rules import Queue
from advice.services.events import chat_event, chat_seq_take, op_applied
from advice.services.queue import queue_changed
from core.errors import Conflict, Forbidden, Invalid, clean_field, invalid_fields
from core.models import City
from core.ratelimit import check_rate
from core.realtime.streams import Applied
from notifications.services import notify

# A browser session keeps the key of each chat it started under this name + id.
SESSION_PREFIX = "advice.chat."
CHATS_PER_ADDRESS_PER_HOUR = 10
CHATS_PER_USER_PER_HOUR = 10
# Form posts and sockets alike: a resident's messages in one chat an hour.
MESSAGES_PER_CHAT_PER_HOUR = 600
ORIGIN_PATH_MAX = 500


def session_key(chat_id: int) -> str:
    return f"{SESSION_PREFIX}{chat_id}"


def chat_remember(session, chat: Chat, key: str) -> None:
    """Keep the resident's key in the browser session that started the chat."""
    session[session_key(chat.pk)] = key


def session_chat_key(session, chat_id: int) -> str | None:
    key = session.get(session_key(chat_id)) if session is not None else None
    return key if isinstance(key, str) else None


def _clean_origin(path: str) -> str:
    """A site-relative path (the page the chat was opened from), or nothing."""
    path = (path or "").strip()
    if (
        not path.startswith("/")
        or path.startswith("//")
        or any(c in path for c in "\r\n\\")
    ):
        return ""
    return path[:ORIGIN_PATH_MAX]


@transaction.atomic
def chat_start(
    *,
    city: City | None,
    language: str,
    topic: AdviceTopic | None,
    text: str,
    email: str = "",
    origin_path: str = "",
    user=None,
    ip: str | None = None,
) -> tuple[Chat, str]:
    """Start a chat: queued when the desk is open and an advisor of the language
    is available, else an offline question (then `email` is required).

    The first question is the chat's first message (event 1). Returns the chat
    and the resident's secret key.
    """
    errors: dict[str, tuple[str, str]] = {}
    if not (language in ALWAYS_OFFERED or is_known(language)):
        errors["language"] = (_("Choose a language from the list."), "invalid")
    if topic is not None and not topic.active:
        errors["topic"] = (_("Choose a topic from the list."), "invalid")
    question = clean_field(errors, "text", text, max_length=FIRST_QUESTION_MAX)
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = (_("Enter a valid e-mail address."), "invalid")
    queue = Queue(city_id=city.pk if city else None, language=language)
    online = "language" not in errors and (
        desk_is_open(city=city, language=language)
        and selectors.someone_available(queue)
    )
    if not online and not email and "email" not in errors:
        errors["email"] = (
            _(
                "No advisor is available right now. Give your e-mail address and "
                "an advisor answers by e-mail."
            ),
            "required",
        )
    if errors:
        raise invalid_fields(errors)
    if ip:
        check_rate(f"advice-start:{ip}", limit=CHATS_PER_ADDRESS_PER_HOUR)
    if user is not None and user.is_authenticated:
        check_rate(f"advice-start:u{user.pk}", limit=CHATS_PER_USER_PER_HOUR)
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    chat = Chat.objects.create(
        city=city,
        language=language,
        topic=topic,
        status=ChatStatus.QUEUED if online else ChatStatus.OFFLINE,
        queued_at=now if online else None,
        resident_key_hash=resident_key_hash(key),
        resident_user=user if user is not None and user.is_authenticated else None,
        email=email,
        origin_path=_clean_origin(origin_path),
    )
    member = ChatMember.objects.create(chat=chat, role=Author.RESIDENT)
    _message_write(chat=chat_seq_take(chat.pk), member=member, text=question)
    if online:
        queue_changed()
    else:  # the queue's advisors hear of a question waiting for an e-mail answer
        advisors = list(selectors.advisors_for(queue).values_list("user_id", flat=True))
        if advisors:
            notify(kind=OFFLINE_KIND, target=chat, recipients=advisors)
    chat.refresh_from_db()
    return chat, key


def resident_chat(*, chat_id: int, key: str | None, user=None) -> Chat | None:
    """The chat if `key` is its resident's, or `user` started it signed in (their
    activity page links it, from any browser); None otherwise."""
    if not isinstance(chat_id, int):
        return None
    if key and isinstance(key, str):
        chat = Chat.objects.filter(
            pk=chat_id, resident_key_hash=resident_key_hash(key)
        ).first()
        if chat is not None:
            return chat
    if user is not None and user.is_authenticated:
        return Chat.objects.filter(pk=chat_id, resident_user=user).first()
    return None


def resident_member(chat: Chat | int) -> ChatMember:
    chat_id = chat if isinstance(chat, int) else chat.pk
    return ChatMember.objects.get(chat_id=chat_id, role=Author.RESIDENT)


def advisor_member(chat_id: int, advisor: AdvisorProfile) -> ChatMember:
    member, _created = ChatMember.objects.get_or_create(
        chat_id=chat_id, role=Author.ADVISOR, advisor=advisor
    )
    return member


def refuse_closed(chat: Chat) -> None:
    if chat.status == ChatStatus.CLOSED:
        raise Invalid(_("This chat has ended."), code="closed")


def clean_message(
    text: str, *, limit: int = MESSAGE_TEXT_MAX, name: str = "text"
) -> str:
    errors: dict[str, tuple[str, str]] = {}
    cleaned = clean_field(errors, name, text, max_length=limit)
    if errors:
        raise invalid_fields(errors)
    return cleaned


def _message_write(
    *, chat: Chat, member: ChatMember, text: str, op: str = "", name: str = ""
) -> Applied:
    message = ChatMessage.objects.create(
        chat_id=chat.pk, author=member.role, member=member, name=name, text=text
    )
    chat_event(
        chat=chat,
        kind="message.sent",
        payload={"message": selectors.message_data(message)},
        member=member,
        op=op,
    )
    return Applied(op=op, seq=chat.seq)


@transaction.atomic
def message_send(
    *,
    chat: Chat | int,
    text: str,
    op: str = "",
    advisor: AdvisorProfile | None = None,
    member: ChatMember | None = None,
) -> Applied:
    """Say something in the chat: its resident (any time before it ends), or
    the advisor holding it (`advisor`).

    `member`: the sender's own membership of this chat when the caller keeps it
    (a socket looks it up once, not per message); otherwise it is looked up.
    Whether the sender may still write is checked here either way, on the chat
    as locked.
    """
    text = clean_message(text)
    chat_id = chat if isinstance(chat, int) else chat.pk
    if member is None:
        if advisor is None:
            member = resident_member(chat_id)
        else:
            member = advisor_member(chat_id, advisor)
    if (done := op_applied(member, op)) is not None:
        return done
    locked = chat_seq_take(chat_id)
    if locked is None:
        raise Invalid(_("No such chat."), code="not_found")
    refuse_closed(locked)
    if advisor is None:
        check_rate(f"advice-messages:{chat_id}", limit=MESSAGES_PER_CHAT_PER_HOUR)
        name = ""
    else:
        if locked.status != ChatStatus.ACTIVE or locked.advisor_id != advisor.pk:
            raise Forbidden(_("You are not holding this chat."))
        name = advisor.display_name
    return _message_write(chat=locked, member=member, text=text, op=op, name=name)


@transaction.atomic
def chat_close(
    *, chat: Chat, op: str = "", advisor: AdvisorProfile | None = None
) -> Applied:
    """End the chat: its resident, or the advisor holding it."""
    member = (
        resident_member(chat) if advisor is None else advisor_member(chat.pk, advisor)
    )
    if (done := op_applied(member, op)) is not None:
        return done
    locked = chat_seq_take(chat.pk)
    if locked is None:
        raise Invalid(_("No such chat."), code="not_found")
    if locked.status == ChatStatus.CLOSED:
        raise Conflict(_("This chat has already ended."))
    if advisor is not None and (
        locked.status != ChatStatus.ACTIVE or locked.advisor_id != advisor.pk
    ):
        raise Forbidden(_("You are not holding this chat."))
    return close_write(chat=locked, member=member, op=op, by=member.role)


def close_write(
    *,
    chat: Chat,
    member: ChatMember | None,
    op: str,
    by: str,
    blocked: bool = False,
) -> Applied:
    """Close `chat` (locked, its number taken) and log `chat.closed`."""
    was_queued = chat.status == ChatStatus.QUEUED
    Chat.objects.filter(pk=chat.pk).update(
        status=ChatStatus.CLOSED,
        closed_at=timezone.now(),
        blocked=blocked,
        updated_at=timezone.now(),
    )
    closes = None
    if blocked:
        closes = resident_member(chat.pk).pk  # the resident's sockets close
    chat_event(
        chat=chat,
        kind="chat.closed",
        payload={"by": by, "blocked": blocked},
        member=member,
        op=op,
        closes=closes,
    )
    if was_queued:
        queue_changed()
    return Applied(op=op, seq=chat.seq)


@transaction.atomic
def rating_give(*, chat: Chat, score: int, comment: str = "", op: str = "") -> Applied:
    """The resident rates a chat that has ended (1–5, once, optional comment)."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise Invalid(_("Give a rating from 1 to 5."), field="score", code="invalid")
    errors: dict[str, tuple[str, str]] = {}
    comment = clean_field(
        errors, "comment", comment, max_length=RATING_COMMENT_MAX, required=False
    )
    if errors:
        raise invalid_fields(errors)
    member = resident_member(chat)
    if (done := op_applied(member, op)) is not None:
        return done
    locked = chat_seq_take(chat.pk)
    if locked is None:
        raise Invalid(_("No such chat."), code="not_found")
    if locked.status != ChatStatus.CLOSED:
        raise Invalid(_("You can rate the chat when it has ended."), code="not_closed")
    if locked.rating is not None:
        raise Conflict(_("You have already rated this chat."))
    Chat.objects.filter(pk=chat.pk).update(
        rating=score, rating_comment=comment, updated_at=timezone.now()
    )
    chat_event(
        chat=locked, kind="chat.rated", payload={"score": score}, member=member, op=op
    )
    return Applied(op=op, seq=locked.seq)
