"""Reads of notifications, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from core.cursors import cursor_decode, cursor_encode
from notifications.models import Follow, Notification

PAGE_SIZE = 20


@dataclass
class NotificationPage:
    items: list[Notification]
    next_cursor: str  # empty on the last page


def notification_page(
    *, user, cursor: str = "", unread_only: bool = False, limit: int = PAGE_SIZE
) -> NotificationPage:
    """`user`'s notifications, newest first, one page after `cursor` (one query)."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    position = cursor_decode(cursor, kind=datetime)
    if position is not None:
        created_at, pk = position
        qs = qs.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        )
    # One row more than shown tells whether there is a next page.
    rows = list(qs.order_by("-created_at", "-id")[: limit + 1])
    items = rows[:limit]
    next_cursor = ""
    if len(rows) > limit:
        last = items[-1]
        next_cursor = cursor_encode(last.created_at, last.pk)
    return NotificationPage(items=items, next_cursor=next_cursor)


def unread_count(*, user) -> int:
    """How many of `user`'s notifications are unread (one query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def follower_list(*, target: models.Model) -> QuerySet:
    """The active users following `target` (one query when evaluated)."""
    content_type = ContentType.objects.get_for_model(target)
    follows = Follow.objects.filter(content_type=content_type, object_id=target.pk)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=follows.values("user_id"))
        .order_by("pk")
    )


def is_following(*, user, target: models.Model) -> bool:
    if user is None or not user.is_authenticated:
        return False
    content_type = ContentType.objects.get_for_model(target)
    return Follow.objects.filter(
        user=user, content_type=content_type, object_id=target.pk
    ).exists()
