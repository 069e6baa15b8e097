"""Every write of notifications: follow, unfollow, notify, mark read, and how
each person wants to hear of each kind by e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from notifications import registry
from notifications.models import (
    ALL_KINDS,
    DEFAULT_DELIVERY,
    TEXT_MAX_LENGTH,
    URL_MAX_LENGTH,
    Delivery,
    DeliveryPreference,
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
    if not rules.test_rule("notifications.follow", user, target):
        raise Invalid(_("This cannot be followed."), code="not_followable")
    # The unique constraint makes a race between two requests end in one row.
    follow, _created = Follow.objects.get_or_create(
        user=user, content_type=content_type, object_id=target.pk
    )
    return follow


def follow_default(*, user, target: models.Model) -> None:
    """`user` wrote `target`: they follow it unless they cannot (anonymous, not
    followable). Called by the services that create things; never refuses."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    if target is None or target.pk is None or not registry.is_followable(target):
        return
    Follow.objects.bulk_create(
        [
            Follow(
                user_id=user.pk,
                content_type=ContentType.objects.get_for_model(target),
                object_id=target.pk,
            )
        ],
        ignore_conflicts=True,
    )


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
    already_mailed: Iterable[Any] = (),
) -> int:
    """Tell `recipients` (users or user ids; by default the target's followers)
    that `kind` happened to `target`. The actor is never told about their own
    doing, and nobody about a target its kind says is hidden. `already_mailed`
    are the people the calling app e-mails about it itself: their notification
    counts as e-mailed, so no digest repeats it. Returns how many were made."""
    kind_ = registry.kind_get(kind)
    if not registry.is_visible(target, kind_):
        return 0
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
    mailed = {getattr(r, "pk", r) for r in already_mailed}
    title, url = kind_.describe(target)
    now = timezone.now()
    made = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=kind_.code,
            content_type=content_type,
            object_id=target.pk,
            text=str(title)[:TEXT_MAX_LENGTH],
            url=str(url)[:URL_MAX_LENGTH],
            params=params or {},
            created_at=now,
            emailed_at=now if user_id in mailed else None,
        )
        for user_id in ids
    )
    at_once = [
        user_id
        for user_id, delivery in deliveries_for(
            kind=kind_.code, user_ids=[i for i in ids if i not in mailed]
        ).items()
        if delivery == Delivery.IMMEDIATE
    ]
    if at_once:
        from notifications import mail  # the e-mails import the selectors

        transaction.on_commit(
            lambda: mail.immediate_send(
                kind=kind_.code, created_at=now, recipient_ids=at_once
            )
        )
    return len(made)


def delivery_choices(
    *, user_ids: list[int] | None = None, between: tuple[int, int] | None = None
) -> dict[int, dict[str, str]]:
    """The saved choices of `user_ids`, or of everyone whose id is `between`
    (first, last) inclusive, {user id: {kind: delivery}} (one query; a range
    spares a run over 100,000 people a list of a thousand ids per batch)."""
    if between is not None:
        rows = DeliveryPreference.objects.filter(
            user_id__gte=between[0], user_id__lte=between[1]
        )
    elif user_ids:
        rows = DeliveryPreference.objects.filter(user_id__in=user_ids)
    else:
        return {}
    chosen: dict[int, dict[str, str]] = {}
    for user_id, kind, delivery in rows.values_list("user_id", "kind", "delivery"):
        chosen.setdefault(user_id, {})[kind] = delivery
    return chosen


def delivery_of(chosen: dict[str, str], kind: str) -> str:
    """The delivery for `kind` from one person's saved choices: the kind's own,
    else their choice for every kind, else the default (a daily digest)."""
    return chosen.get(kind, chosen.get(ALL_KINDS, DEFAULT_DELIVERY))


def deliveries_for(*, kind: str, user_ids: list[int]) -> dict[int, str]:
    """How each of `user_ids` wants to hear of `kind` by e-mail (one query)."""
    chosen = delivery_choices(user_ids=user_ids)
    return {user_id: delivery_of(chosen.get(user_id, {}), kind) for user_id in user_ids}


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark `user`'s unread notifications (only those in `ids`, when given) read."""
    _signed_in(user)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def _clean_delivery(delivery: str) -> str:
    if delivery not in Delivery.values:
        raise Invalid(_("Choose how to hear of it."), field="delivery", code="invalid")
    return delivery


@transaction.atomic
def delivery_set(*, user, deliveries: dict[str, str]) -> None:
    """Save `user`'s e-mail choice for each kind in `deliveries` ({kind: delivery};
    the kind "" is the choice for every kind without one of its own)."""
    _signed_in(user)
    known = set(registry.kinds()) | {ALL_KINDS}
    for kind, delivery in deliveries.items():
        if kind not in known:
            raise Invalid(_("Unknown kind of notification."), code="unknown_kind")
        _clean_delivery(delivery)
    for kind, delivery in deliveries.items():
        DeliveryPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )


@transaction.atomic
def unsubscribe(*, user, kind: str = ALL_KINDS) -> None:
    """No more e-mail to `user` about `kind` (about anything, when `kind` is
    empty); the notification centre still lists everything. Needs no log-in:
    the caller has checked the signed link."""
    if kind != ALL_KINDS:
        registry.kind_get(kind)
    else:
        DeliveryPreference.objects.filter(user=user).update(delivery=Delivery.NEVER)
    DeliveryPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": Delivery.NEVER}
    )
