"""Deleting chat transcripts once their city's retention period has passed.

A transcript is what was said and who the resident was: the messages, the event
log (it repeats the messages), the advisors' notes, the e-mail address, the
rating comment and the page the chat was opened from. They go; the `Chat` row
stays with its times, city, language, topic, status and score, as anonymous
statistics (open data `advice-stats`), and `transcript_purged_at` says when.
An offline question still unanswered after the period ends, unanswered: without
its address nobody could answer it.

The period is the city's (`advice.retention`), counted from the chat's end: the
same `transcript_expired` that every read asks, so a job that did not run never
shows an old transcript; this job only makes the deletion real.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advice.models import (
    DEFAULT_TRANSCRIPT_RETENTION_DAYS,
    AdviceCitySettings,
    Chat,
    ChatEvent,
    ChatMessage,
    ChatNote,
    ChatStatus,
)

__all__ = ["BATCH_SIZE", "transcripts_purge"]

# Chats purged per transaction: a long backlog never holds one huge lock.
BATCH_SIZE = 500


def _ended_before(cutoff: datetime.datetime) -> Q:
    """`advice.retention.transcript_ended_at(chat) <= cutoff`, as a query."""
    return (
        Q(closed_at__lte=cutoff)
        | Q(closed_at__isnull=True, answered_by_email_at__lte=cutoff)
        | Q(
            closed_at__isnull=True,
            answered_by_email_at__isnull=True,
            updated_at__lte=cutoff,
        )
    )


def _purge_batch(ids: list[int], now: datetime.datetime) -> int:
    with transaction.atomic():
        # Locked and re-checked: a chat purged by another runner meanwhile is skipped.
        ids = list(
            Chat.objects.select_for_update()
            .filter(pk__in=ids, transcript_purged_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        ChatMessage.objects.filter(chat_id__in=ids).delete()
        ChatEvent.objects.filter(chat_id__in=ids).delete()
        ChatNote.objects.filter(chat_id__in=ids).delete()
        # An offline question nobody answered within the period can no longer
        # be answered (its address goes): it ends here, unanswered.
        Chat.objects.filter(pk__in=ids, status=ChatStatus.OFFLINE).update(
            status=ChatStatus.CLOSED
        )
        # `update` leaves `updated_at` alone: the chat's times stay as they were.
        return Chat.objects.filter(pk__in=ids).update(
            email="", rating_comment="", origin_path="", transcript_purged_at=now
        )


def transcripts_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete every transcript past its city's period; returns how many chats lost
    theirs. Safe to run again, and beside another runner, at any time."""
    now = now or timezone.now()
    periods: dict[int | None, int] = dict(
        AdviceCitySettings.objects.values_list("city_id", "transcript_retention_days")
    )
    cities = set(
        Chat.objects.filter(transcript_purged_at__isnull=True)
        .values_list("city_id", flat=True)
        .distinct()
    )
    purged = 0
    for city_id in sorted(cities, key=lambda c: (c is None, c or 0)):
        days = periods.get(city_id, DEFAULT_TRANSCRIPT_RETENTION_DAYS)
        due = Chat.objects.filter(
            _ended_before(now - timedelta(days=days)),
            transcript_purged_at__isnull=True,
        )
        due = (
            due.filter(city__isnull=True)
            if city_id is None
            else due.filter(city_id=city_id)
        )
        ids = list(due.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH_SIZE):
            purged += _purge_batch(ids[start : start + BATCH_SIZE], now)
    return purged
