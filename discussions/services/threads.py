"""Discussions themselves: finding or creating one for an object, and
support/opposition of the thing discussed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import Actor
from core.errors import Forbidden, Invalid
from core.locking import lock_row
from core.models import City
from discussions.models import (
    Discussion,
    DiscussionSupport,
    SupportValue,
)
from discussions.services.common import _rate_limit


def discussion_target(obj: Any) -> tuple[str, str]:
    """The `(target_type, target_key)` of a commentable object."""
    key = getattr(obj, "discussion_key", None) or obj.pk
    return obj._meta.label_lower, str(key)


@transaction.atomic
def discussion_for(obj: Any, *, city: City | None = None, **fields: Any) -> Discussion:
    """The discussion about `obj`, created on first use.

    `fields` (title, url, is_open, opens_at, closes_at, allow_anonymous,
    premoderated, report_threshold) set the owner's rules; given ones are saved.
    """
    target_type, target_key = discussion_target(obj)
    allowed = {
        "title",
        "url",
        "is_open",
        "opens_at",
        "closes_at",
        "allow_anonymous",
        "premoderated",
        "report_threshold",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown discussion fields: {sorted(unknown)}")
    defaults = dict(fields)
    if city is not None:
        defaults["city"] = city
    discussion, created = Discussion.objects.get_or_create(
        target_type=target_type, target_key=target_key, defaults=defaults
    )
    if not created and defaults:
        changed = [
            name
            for name, value in defaults.items()
            if getattr(discussion, name if name != "city" else "city_id")
            != (value.pk if name == "city" else value)
        ]
        if changed:
            for name, value in defaults.items():
                setattr(discussion, name, value)
            discussion.save(update_fields=[*changed, "updated_at"])
    return discussion


@transaction.atomic
def discussion_support(
    *, discussion: Discussion, participant: Actor, value: int | None
) -> DiscussionSupport | None:
    """Support (1), oppose (-1) or take back (None) one's position; one per person."""
    if not participant.is_registered:
        raise Forbidden(_("Log in to support or oppose."), code="login_required")
    if value is not None and value not in SupportValue.values:
        raise Invalid(_("Choose support or oppose."), field="value", code="invalid")
    closed = _("Support and opposition are closed here.")
    if not discussion.accepts_comments():
        raise Invalid(closed, code="closed")
    _rate_limit("like", participant)
    # Checked again on the locked row: it may have closed since it was read.
    locked = lock_row(Discussion, discussion.pk)
    if locked is None or not locked.accepts_comments():
        raise Invalid(closed, code="closed")
    existing = DiscussionSupport.objects.filter(
        discussion=locked, user=participant.user
    ).first()
    if existing is not None:
        existing.delete()
    support = None
    if value is not None:
        support = DiscussionSupport.objects.create(
            discussion=locked, user=participant.user, value=value
        )
    # Recomputed from the rows under the lock: exact whatever came before.
    rows = DiscussionSupport.objects.filter(discussion=locked)
    Discussion.objects.filter(pk=locked.pk).update(
        support_count=rows.filter(value=SupportValue.SUPPORT).count(),
        oppose_count=rows.filter(value=SupportValue.OPPOSE).count(),
    )
    return support
