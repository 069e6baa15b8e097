"""How long a chat's transcript is kept: the city's period after the chat ended.

Both the periodic job (which deletes) and every read (which refuses) ask
`transcript_expired`, so a job that did not run never shows an old transcript.
The `Chat` row itself stays, without its texts, as anonymous statistics.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from advice.models import DEFAULT_TRANSCRIPT_RETENTION_DAYS, AdviceCitySettings, Chat


def retention_days(city_id: int | None) -> int:
    """The city's transcript period in days (the default for "any city" chats)."""
    if city_id is None:
        return DEFAULT_TRANSCRIPT_RETENTION_DAYS
    days = (
        AdviceCitySettings.objects.filter(city_id=city_id)
        .values_list("transcript_retention_days", flat=True)
        .first()
    )
    return days or DEFAULT_TRANSCRIPT_RETENTION_DAYS


def transcript_ended_at(chat: Chat) -> datetime:
    """When the period starts: the chat's end, or its last change if it never ended."""
    return chat.closed_at or chat.answered_by_email_at or chat.updated_at


def transcript_expires_at(chat: Chat, *, days: int | None = None) -> datetime:
    if days is None:
        days = retention_days(chat.city_id)
    return transcript_ended_at(chat) + timedelta(days=days)


def transcript_expired(
    chat: Chat, *, now: datetime | None = None, days: int | None = None
) -> bool:
    """True when the transcript is gone or past its period (then show nothing)."""
    if chat.transcript_purged_at is not None:
        return True
    return (now or timezone.now()) >= transcript_expires_at(chat, days=days)
