"""Every write of notifications: follow, unfollow, notify, mark read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from notifications import registry
from notifications.models import (
    TEXT_MAX_LENGTH,
    URL_MAX_LENGTH,
    Follow,
    Notification,
)


def _signed_in(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Forbidden(_("Log in to follow."))


def _followable(target: models.Model) -> ContentType:
    if target is None or target.pk is None or not registry.is_followable(target):
        raise Invalid(_("This cannot be followed."), code="not_followable")
    return ContentType.objects.get_for_model(target)


def follow_create(*, user, target: models.Model) -> Follow:
    """`user` follows `target`; following again changes nothing."""
    _signed_in(user)
    content_type = _followable(target)
    # The unique constraint makes a race between two requests end in one row.
    follow, _created = Follow.objects.get_or_create(
        user=user, content_type=content_type, object_id=target.pk
    )
    return follow


def follow_delete(*, user, target: models.Model) -> bool:
    """`user` stops following `target`; True when they were following it."""
    _signed_in(user)
    content_type = _followable(target)
    deleted, _rows = Follow.objects.filter(
        user=user, content_type=content_type, object_id=target.pk
    ).delete()
    return deleted > 0


@transaction.atomic
def notify(
    *,
    kind: str,
    target: models.Model,
    actor=None,
    recipients: Iterable[Any] | None = None,
    params: dict[str, Any] | None = None,
) -> int:
    """Tell `recipients` (users or user ids; by default the target's followers)
    that `kind` happened to `target`. The actor is never told about their own
    doing. Returns how many notifications were made."""
    kind_ = registry.kind_get(kind)
    content_type = ContentType.objects.get_for_model(target)
    if recipients is None:
        ids = set(
            Follow.objects.filter(
                content_type=content_type, object_id=target.pk
            ).values_list("user_id", flat=True)
        )
    else:
        ids = {getattr(r, "pk", r) for r in recipients}
    if actor is not None and getattr(actor, "pk", None) is not None:
        ids.discard(actor.pk)
    if not ids:
        return 0
    active = get_user_model().objects.filter(pk__in=ids, is_active=True)
    ids = sorted(active.values_list("pk", flat=True))
    title, url = kind_.describe(target)
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=kind_.code,
            content_type=content_type,
            object_id=target.pk,
            text=str(title)[:TEXT_MAX_LENGTH],
            url=str(url)[:URL_MAX_LENGTH],
            params=params or {},
            created_at=now,
        )
        for user_id in ids
    )
    return len(ids)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark `user`'s unread notifications (only those in `ids`, when given) read."""
    _signed_in(user)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
