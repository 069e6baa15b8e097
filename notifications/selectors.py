"""Reads of notifications, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from core.cursors import cursor_decode, cursor_encode
from notifications import registry
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


def follower_ids(*, targets: list[models.Model]) -> list[int]:
    """Who follows any of `targets` (of any followable models), each once, in
    one query."""
    match = Q(pk__in=[])
    for target in targets:
        content_type = ContentType.objects.get_for_model(target)
        match |= Q(content_type=content_type, object_id=target.pk)
    if not targets:
        return []
    return sorted(set(Follow.objects.filter(match).values_list("user_id", flat=True)))


def is_following(*, user, target: models.Model) -> bool:
    if user is None or not user.is_authenticated:
        return False
    content_type = ContentType.objects.get_for_model(target)
    return Follow.objects.filter(
        user=user, content_type=content_type, object_id=target.pk
    ).exists()


@dataclass
class FollowRow:
    follow: Follow
    target: models.Model
    label: str  # what it is: "service dream", "district", …
    title: str
    url: str
    token: str  # "app.model:pk", what the follow form posts


def follow_list(*, user) -> list[FollowRow]:
    """What `user` follows, newest first: one query for the follows and one per
    kind of thing followed (bounded by the registered followables). Things that
    are gone or hidden now are left out."""
    follows = list(Follow.objects.filter(user=user).order_by("-created_at", "-id"))
    wanted: dict[int, set[int]] = {}
    for follow in follows:
        wanted.setdefault(follow.content_type_id, set()).add(follow.object_id)
    loaded: dict[tuple[int, int], models.Model] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not registry.is_followable(model):
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            loaded[(content_type_id, obj.pk)] = obj
    rows = []
    for follow in follows:
        obj = loaded.get((follow.content_type_id, follow.object_id))
        if obj is None or not registry.is_visible(obj):
            continue
        title, url = registry.followable_describe(obj)
        rows.append(
            FollowRow(
                follow=follow,
                target=obj,
                label=str(obj._meta.verbose_name),
                title=str(title),
                url=url,
                token=follow_token(obj),
            )
        )
    return rows


def follow_token(target: models.Model) -> str:
    """How a follow form names `target`: "app.model:pk"."""
    return f"{target._meta.label_lower}:{target.pk}"


def follow_target_get(token: str) -> models.Model | None:
    """The followable object a follow form names ("app.model:pk"), or None."""
    label, _sep, raw_pk = (token or "")[:120].partition(":")
    model = registry.followable_model(label)
    if model is None or not raw_pk.isdigit() or len(raw_pk) > 18:
        return None
    return model._default_manager.filter(pk=int(raw_pk)).first()
