"""The queue on the wire, and offline questions that come back to it.

Every change to the queue (a chat queued, accepted, transferred to a queue,
closed while waiting) calls `queue_changed`; on commit, coalesced per process,
`queue_broadcast` reads every queued chat once and sends

- the whole list to the one desk group `QUEUE_GROUP`: each desk socket keeps the
  rows of its cities and languages (one query and one message per change,
  whatever the number of desks), and
- each waiting chat its `queue.position {position, estimated_wait_s}` (an
  unnumbered event).

An offline question returns to its queue (`offline_requeue`) when an advisor of
the queue is available and its resident is on the chat page now (a live
presence row); otherwise it stays for an answer by e-mail.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from advice import selectors
from advice.models import PRESENCE_LEASE, Chat, ChatPresence, ChatStatus
from advice.rules import Queue
from advice.services.events import chat_event, chat_seq_take, chat_signal
from core.realtime import broadcast
from core.realtime.presence import lease_start

QUEUE_GROUP = "advice.queue"
# A burst of queue changes becomes one queue message per process.
QUEUE_DEBOUNCE = 0.05


class _Changed(Exception):
    pass


def queue_broadcast() -> None:
    """Send the queue to every desk and each waiting chat its position."""
    chats = selectors.queued_chats()
    now = timezone.now()
    broadcast.group_send(
        [
            (
                QUEUE_GROUP,
                {
                    "type": "advice.queue",
                    "chats": [selectors.queue_item(c, now=now) for c in chats],
                },
            )
        ]
    )
    by_queue: dict[Queue, list[Chat]] = defaultdict(list)
    for chat in chats:
        by_queue[selectors.queue_of(chat)].append(chat)
    for queue, waiting in by_queue.items():
        advisors = max(1, selectors.free_advisors(queue))
        handling = selectors.median_handling_s(queue, now=now)
        for position, chat in enumerate(waiting, start=1):
            chat_signal(
                chat.pk,
                {
                    "type": "queue.position",
                    "position": position,
                    "estimated_wait_s": math.ceil(position / advisors) * handling,
                },
            )


def queue_changed() -> None:
    """On commit: send the queue (once per burst on this process)."""
    transaction.on_commit(
        partial(
            broadcast.coalesced,
            ("advice-queue",),
            queue_broadcast,
            delay=QUEUE_DEBOUNCE,
        )
    )


def residents_present(chat_ids: list[int]) -> set[int]:
    """The chats whose resident has a live socket now."""
    return set(
        ChatPresence.objects.filter(
            chat_id__in=chat_ids, last_seen__gte=lease_start(PRESENCE_LEASE)
        ).values_list("chat_id", flat=True)
    )


@transaction.atomic
def offline_requeue(*, chats: QuerySet[Chat]) -> list[int]:
    """Put these offline questions back in their queues when their resident is
    here and an advisor of the queue is available; the ids requeued.

    A returning question keeps its place by when it was asked (`created_at`).
    """
    candidates = list(
        chats.filter(status=ChatStatus.OFFLINE, answered_by_email_at__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", "city_id", "language", "created_at")
    )
    present = residents_present([row[0] for row in candidates])
    staffed: dict[Queue, bool] = {}
    requeued = []
    for chat_id, city_id, language, created_at in candidates:
        if chat_id not in present:
            continue
        queue = Queue(city_id=city_id, language=language)
        if queue not in staffed:
            staffed[queue] = selectors.someone_available(queue)
        if not staffed[queue]:
            continue
        try:
            with transaction.atomic():  # a chat that changed meanwhile keeps its seq
                locked = chat_seq_take(chat_id)
                if locked is None or locked.status != ChatStatus.OFFLINE:
                    raise _Changed
                Chat.objects.filter(pk=chat_id).update(
                    status=ChatStatus.QUEUED,
                    queued_at=created_at,
                    updated_at=timezone.now(),
                )
                chat_event(
                    chat=locked,
                    kind="chat.queued",
                    payload={"status": ChatStatus.QUEUED},
                )
        except _Changed:
            continue
        requeued.append(chat_id)
    if requeued:
        queue_changed()
    return requeued
