"""The advisor's side of the desk: status, accepting, transferring, notes, blocking.

Exactly one of two advisors accepting the same chat gets it: both take the
chat's next number (`chat_seq_take`), which holds the chat's row lock until
commit, so the second sees the chat already active and is refused (`Conflict`,
code `taken`) with its number rolled back. An advisor's own accepts and incoming
transfers are serialised on their profile row (locked first, then the chat —
always in that order), so the cap `max_chats` holds however many arrive at once.

Each advisor's desk sockets are told on commit to join a chat's stream
(`advisor_group`): they then send that chat's snapshot. They leave it on the
chat's own `chat.closed` or `chat.transferred` event, after handing it on (a
separate "leave" message travelled beside the event and could overtake it: the
transferring desk then never got its own transfer's event).
Notes are outside the chat's numbered log — the resident never learns one
exists — and reach the advisor's desk sockets through the same group.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from advice import selectors
from advice.languages import ALWAYS_OFFERED, is_known
from advice.models import (
    NOTE_TEXT_MAX,
    AdvisorProfile,
    AdvisorStatus,
    Chat,
    ChatNote,
    ChatStatus,
)
from advice.rules import Queue, advisor_city_ids, advisor_languages
from advice.services.chats import advisor_member, clean_message, close_write
from advice.services.events import chat_event, chat_seq_take, op_applied
from advice.services.queue import offline_requeue, queue_changed
from core.errors import Conflict, Forbidden, Invalid
from core.locking import lock_rows
from core.models import City
from core.realtime.broadcast import group_send
from core.realtime.streams import Applied

# `chat_transfer(city=KEEP)`: the chat stays in its city.
KEEP: Any = object()
QUEUE = "queue"


def advisor_group(advisor_id: int) -> str:
    """The channel-layer group of one advisor's desk sockets."""
    return f"advice.advisor.{advisor_id}"


def desk_tell(advisor_id: int, kind: str, body: dict[str, Any]) -> None:
    """On commit: send `advice.desk.<kind>` to the advisor's desk sockets."""
    message = {"type": f"advice.desk.{kind}", **body}
    transaction.on_commit(lambda: group_send([(advisor_group(advisor_id), message)]))


def _chat(chat_id: int) -> Chat:
    chat = Chat.objects.filter(pk=chat_id).first()
    if chat is None:
        raise Invalid(_("No such chat."), code="not_found")
    return chat


def _held(chat: Chat | None, advisor: AdvisorProfile) -> Chat:
    if chat is None:
        raise Invalid(_("No such chat."), code="not_found")
    if chat.status != ChatStatus.ACTIVE or chat.advisor_id != advisor.pk:
        raise Forbidden(_("You are not holding this chat."))
    return chat


def _lock_advisor(advisor_id: int) -> AdvisorProfile:
    advisor = lock_rows(AdvisorProfile, [advisor_id]).get(advisor_id)
    if advisor is None:
        raise Invalid(_("No such advisor."), code="not_found")
    return advisor


def _has_free_slot(advisor: AdvisorProfile) -> bool:
    held = Chat.objects.filter(advisor=advisor, status=ChatStatus.ACTIVE).count()
    return held < advisor.max_chats


@transaction.atomic
def advisor_status_set(*, advisor: AdvisorProfile, status: str) -> None:
    """Available or away. Becoming available brings back the offline questions
    of the advisor's queues whose residents are on the chat page now."""
    if status not in AdvisorStatus.values:
        raise Invalid(_("Unknown status."), field="status", code="invalid")
    AdvisorProfile.objects.filter(pk=advisor.pk).update(
        status=status, status_changed_at=timezone.now(), updated_at=timezone.now()
    )
    advisor.status = status
    if status == AdvisorStatus.AVAILABLE:
        cities = advisor_city_ids(advisor.user)
        offline_requeue(
            chats=Chat.objects.filter(
                Q(city__in=cities) | Q(city__isnull=True),
                language__in=advisor_languages(advisor),
            )
        )
    queue_changed()  # the estimates count available advisors


@transaction.atomic
def chat_accept(*, advisor: AdvisorProfile, chat_id: int, op: str = "") -> Applied:
    """Take a queued chat (the head of a queue or any other one): exactly once."""
    chat = _chat(chat_id)
    member = advisor_member(chat_id, advisor)
    if (done := op_applied(member, op)) is not None:
        return done
    if not rules.has_perm("advice.advise", advisor.user, chat):
        raise Forbidden(_("You do not advise in this chat's city and language."))
    advisor = _lock_advisor(advisor.pk)
    if not _has_free_slot(advisor):
        raise Conflict(
            _("You already have as many chats as you take at once."), code="full"
        )
    locked = chat_seq_take(chat_id)
    if locked is None or locked.status != ChatStatus.QUEUED:
        raise Conflict(_("Another advisor took this chat already."), code="taken")
    now = timezone.now()
    Chat.objects.filter(pk=chat_id).update(
        status=ChatStatus.ACTIVE,
        advisor=advisor,
        advisor_name=advisor.display_name,
        accepted_at=now,
        first_accepted_at=chat.first_accepted_at or now,
        updated_at=now,
    )
    chat_event(
        chat=locked,
        kind="chat.accepted",
        payload={"advisor_name": advisor.display_name},
        member=member,
        op=op,
    )
    desk_tell(advisor.pk, "join", {"chat": chat_id})
    queue_changed()
    return Applied(op=op, seq=locked.seq)


@transaction.atomic
def chat_transfer(
    *,
    advisor: AdvisorProfile,
    chat_id: int,
    to: int | str,
    city: int | None = KEEP,
    language: str | None = None,
    note: str = "",
    op: str = "",
) -> Applied:
    """Hand a held chat to another advisor (`to` = their id) or back to a queue
    (`to` = "queue"), optionally of another city (`city`: an id, or None for
    any city) or language, with an internal note for whoever takes it."""
    chat = _chat(chat_id)
    member = advisor_member(chat_id, advisor)
    if (done := op_applied(member, op)) is not None:
        return done
    note = clean_message(note, limit=NOTE_TEXT_MAX, name="note") if note else ""
    city_id = chat.city_id if city is KEEP else city
    if city_id is not None and not City.objects.filter(pk=city_id).exists():
        raise Invalid(_("No such city."), field="city", code="not_found")
    language = language or chat.language
    if not (language in ALWAYS_OFFERED or is_known(language)):
        raise Invalid(_("Unknown language."), field="language", code="invalid")
    target = None
    if to != QUEUE:
        if to == advisor.pk:
            raise Invalid(_("The chat is yours already."), code="invalid")
        target = _lock_advisor(to)
        destination = Chat(city_id=city_id, language=language)
        if not rules.has_perm("advice.advise", target.user, destination):
            raise Invalid(
                _("That advisor does not advise in this city and language."),
                code="cannot_advise",
            )
        if not _has_free_slot(target):
            raise Conflict(_("That advisor has no free slot now."), code="full")
    locked = _held(chat_seq_take(chat_id), advisor)
    now = timezone.now()
    changes: dict[str, Any] = {
        "city_id": city_id,
        "language": language,
        "transfers": chat.transfers + 1,
        "updated_at": now,
    }
    if target is None:
        changes.update(
            status=ChatStatus.QUEUED,
            advisor=None,
            advisor_name="",
            queued_at=chat.queued_at or now,  # keeps its place in the queue
        )
    else:
        advisor_member(chat_id, target)
        changes.update(
            advisor=target, advisor_name=target.display_name, accepted_at=now
        )
    Chat.objects.filter(pk=chat_id).update(**changes)
    if note:
        ChatNote.objects.create(chat_id=chat_id, advisor=advisor, text=note)
    chat_event(
        chat=locked,
        kind="chat.transferred",
        payload={
            "status": ChatStatus.QUEUED if target is None else ChatStatus.ACTIVE,
            "advisor_name": target.display_name if target else None,
            "city": city_id,
            "language": language,
        },
        member=member,
        op=op,
    )
    if target is not None:
        desk_tell(target.pk, "join", {"chat": chat_id})
    queue_changed()
    return Applied(op=op, seq=locked.seq)


@transaction.atomic
def note_add(
    *, advisor: AdvisorProfile, chat_id: int, text: str, op: str = ""
) -> ChatNote:
    """An internal note on a held chat: never sent to its resident, not numbered
    in its log. A retried op returns the note written the first time."""
    text = clean_message(text, limit=NOTE_TEXT_MAX)
    if op:
        done = ChatNote.objects.filter(advisor=advisor, op=op).first()
        if done is not None:
            return done
    _held(lock_rows(Chat, [chat_id]).get(chat_id), advisor)
    note = ChatNote.objects.create(chat_id=chat_id, advisor=advisor, text=text, op=op)
    note.advisor = advisor
    desk_tell(advisor.pk, "note", {"chat": chat_id, "note": selectors.note_data(note)})
    return note


@transaction.atomic
def chat_block(*, advisor: AdvisorProfile, chat_id: int, op: str = "") -> Applied:
    """End an abusive chat: closed and blocked; the resident's sockets close and
    their further sends are refused."""
    _chat(chat_id)
    member = advisor_member(chat_id, advisor)
    if (done := op_applied(member, op)) is not None:
        return done
    locked = _held(chat_seq_take(chat_id), advisor)
    return close_write(chat=locked, member=member, op=op, by="advisor", blocked=True)


def desk_close(*, advisor: AdvisorProfile, chat_id: int, op: str = "") -> Applied:
    """`chat.close` from the desk: `chats.chat_close` for the holding advisor."""
    from advice.services.chats import chat_close

    return chat_close(chat=_chat(chat_id), op=op, advisor=advisor)


def queue_head(advisor: AdvisorProfile) -> int | None:
    """The oldest chat this advisor may take, if any."""
    rows = selectors.queue_for(advisor)
    return rows[0]["id"] if rows else None


__all__ = [
    "KEEP",
    "QUEUE",
    "Queue",
    "advisor_group",
    "advisor_status_set",
    "chat_accept",
    "chat_block",
    "chat_transfer",
    "desk_close",
    "note_add",
    "queue_head",
]
