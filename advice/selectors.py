"""Reads of the advice desk shared by the consumers, the pages and the services.

Queries per call are fixed (tests assert them). The queue estimate (README,
"Advice: chats and the desk protocol"): position `p` in its queue (city,
language), `m` = the median handling time (first accepted → closed) of that
queue's last 50 chats closed within 14 days (5 minutes when there are none), `a`
= the available advisors with a free slot for the queue (at least 1):
`estimated_wait_s = ceil(p / a) * m`.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import Role
from advice.models import (
    AdvisorProfile,
    AdvisorStatus,
    Author,
    Chat,
    ChatMember,
    ChatMessage,
    ChatNote,
    ChatStatus,
)
from advice.retention import transcript_expired
from advice.rules import Queue, advisor_city_ids, advisor_languages

ESTIMATE_SAMPLE = 50
ESTIMATE_WINDOW = timedelta(days=14)
DEFAULT_HANDLING_S = 300
# A viewer of a snapshot: the resident of the chat, or an advisor (or supervisor).
RESIDENT = "resident"
ADVISOR = "advisor"


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def queue_of(chat: Chat) -> Queue:
    return Queue(city_id=chat.city_id, language=chat.language)


def _in_queue(queue: Queue) -> QuerySet[Chat]:
    return Chat.objects.filter(
        status=ChatStatus.QUEUED, language=queue.language, city_id=queue.city_id
    )


def queue_position(chat: Chat) -> int | None:
    """1 for the head of its queue; None when the chat is not queued."""
    if chat.status != ChatStatus.QUEUED or chat.queued_at is None:
        return None
    ahead = (
        _in_queue(queue_of(chat))
        .filter(
            Q(queued_at__lt=chat.queued_at)
            | Q(queued_at=chat.queued_at, pk__lt=chat.pk)
        )
        .count()
    )
    return ahead + 1


def median_handling_s(queue: Queue, *, now: datetime | None = None) -> int:
    """`m`: the median seconds from first accepted to closed (one query)."""
    now = now or timezone.now()
    rows = (
        Chat.objects.filter(
            status=ChatStatus.CLOSED,
            language=queue.language,
            city_id=queue.city_id,
            closed_at__gte=now - ESTIMATE_WINDOW,
            first_accepted_at__isnull=False,
        )
        .order_by("-closed_at")
        .values_list("first_accepted_at", "closed_at")[:ESTIMATE_SAMPLE]
    )
    spans = [(closed - accepted).total_seconds() for accepted, closed in rows]
    if not spans:
        return DEFAULT_HANDLING_S
    return max(1, round(statistics.median(spans)))


def advisors_for(queue: Queue) -> QuerySet[AdvisorProfile]:
    """Advisors who may take chats of `queue` (role in its city, its language)."""
    advisors = AdvisorProfile.objects.filter(
        languages__language=queue.language,
        user__is_active=True,
        user__groups__city_role__role=Role.ADVISOR,
    )
    if queue.city_id is not None:
        advisors = advisors.filter(user__groups__city_role__city_id=queue.city_id)
    return advisors.distinct()


def free_advisors(queue: Queue) -> int:
    """`a` before its floor: available advisors of the queue with a free slot."""
    return (
        advisors_for(queue)
        .filter(status=AdvisorStatus.AVAILABLE)
        .annotate(
            held=Count(
                "chats", filter=Q(chats__status=ChatStatus.ACTIVE), distinct=True
            )
        )
        .filter(held__lt=F("max_chats"))
        .count()
    )


def someone_available(queue: Queue) -> bool:
    """Whether an advisor of the queue is available now (busy or not)."""
    return advisors_for(queue).filter(status=AdvisorStatus.AVAILABLE).exists()


@dataclass(frozen=True)
class Estimate:
    position: int
    estimated_wait_s: int


def estimate(chat: Chat) -> Estimate | None:
    """The chat's place in its queue and the wait the formula gives (3 queries)."""
    position = queue_position(chat)
    if position is None:
        return None
    queue = queue_of(chat)
    advisors = max(1, free_advisors(queue))
    wait = math.ceil(position / advisors) * median_handling_s(queue)
    return Estimate(position=position, estimated_wait_s=wait)


def queued_chats() -> list[Chat]:
    """Every queued chat, first in first out (one query): the desks' queue."""
    return list(
        Chat.objects.filter(status=ChatStatus.QUEUED)
        .select_related("topic")
        .order_by("queued_at", "pk")
    )


def queue_item(chat: Chat, *, now: datetime) -> dict[str, Any]:
    """One row of the desk's `queue {chats}` frame."""
    return {
        "id": chat.pk,
        "language": chat.language,
        "topic": chat.topic.name if chat.topic else None,
        "city": chat.city_id,
        "waiting_s": max(0, int((now - chat.queued_at).total_seconds())),
        "origin_path": chat.origin_path,
    }


def queue_for(advisor: AdvisorProfile) -> list[dict[str, Any]]:
    """The queued chats this advisor may take, oldest first (at most 4 queries)."""
    cities = advisor_city_ids(advisor.user)
    languages = advisor_languages(advisor)
    now = timezone.now()
    return [
        queue_item(chat, now=now)
        for chat in queued_chats()
        if chat.language in languages
        and (chat.city_id is None and cities or chat.city_id in cities)
    ]


def held_chat_ids(advisor: AdvisorProfile) -> list[int]:
    return list(
        Chat.objects.filter(advisor=advisor, status=ChatStatus.ACTIVE)
        .order_by("accepted_at", "pk")
        .values_list("pk", flat=True)
    )


def advisor_membership(chat_id: int, advisor: AdvisorProfile) -> ChatMember | None:
    """The advisor's membership of a chat, if they were ever in it (accepting
    a chat makes it); a read only, never made here."""
    return ChatMember.objects.filter(
        chat_id=chat_id, role=Author.ADVISOR, advisor=advisor
    ).first()


def message_data(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "author": message.author,
        "name": message.name if message.author == Author.ADVISOR else "",
        "text": message.text,
        "sent_at": iso(message.sent_at),
    }


def note_data(note: ChatNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "author": note.advisor.display_name if note.advisor else "",
        "text": note.text,
        "created_at": iso(note.created_at),
    }


def chat_snapshot(*, chat: Chat, viewer: str) -> dict[str, Any]:
    """The protocol's `snapshot` of a chat for its resident or an advisor.

    A transcript past its retention period (`transcript_expired`) shows no
    messages and no notes, whether or not the purge job has run yet. Advisors
    also get the page the chat was opened from and the internal notes.
    """
    chat = (Chat.objects.select_related("topic").filter(pk=chat.pk).first()) or chat
    expired = transcript_expired(chat)
    place = estimate(chat) if chat.status == ChatStatus.QUEUED else None
    data: dict[str, Any] = {
        "id": chat.pk,
        "status": chat.status,
        "language": chat.language,
        "topic": chat.topic.name if chat.topic else None,
        "city": chat.city_id,
        "queue_position": place.position if place else None,
        "estimated_wait_s": place.estimated_wait_s if place else None,
        "advisor_name": chat.advisor_name or None,
        "blocked": chat.blocked,
        "rating": chat.rating,
        "transcript_expired": expired,
        "created_at": iso(chat.created_at),
    }
    messages: list[dict[str, Any]] = []
    if not expired:
        messages = [message_data(m) for m in chat.messages.order_by("pk")]
    snapshot: dict[str, Any] = {
        "type": "snapshot",
        "seq": chat.seq,
        "chat": data,
        "messages": messages,
    }
    if viewer == ADVISOR:
        data["origin_path"] = "" if expired else chat.origin_path
        data["transfers"] = chat.transfers
        snapshot["notes"] = (
            []
            if expired
            else list(map(note_data, chat.notes.select_related("advisor")))
        )
    return snapshot
