"""Supports ("me too") on something that is merged into another.

Dreams and feedback items both carry supports: rows with a `user` or an
`anonymous_key` (`core.actors.Actor.owner_fields`) pointing at their subject.
When a duplicate is merged into the one that stays, its supports move there, each
person counted once, and its author (who wanted the same thing) becomes a
supporter. The callers recount `support_count` afterwards.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


def supports_move(
    support_model: type[models.Model], subject_field: str, *, src, dst
) -> None:
    """Move `src`'s supports to `dst` (both have `author_id`, `anonymous_key`)."""
    on_dst = support_model.objects.filter(**{subject_field: dst})
    moving = support_model.objects.filter(**{subject_field: src})
    # People already behind `dst`, or `dst`'s own author, would count twice (or
    # support their own): their rows are dropped.
    twice = Q(
        user__isnull=False,
        user__in=on_dst.filter(user__isnull=False).values("user"),
    ) | Q(
        anonymous_key__isnull=False,
        anonymous_key__in=on_dst.filter(anonymous_key__isnull=False).values(
            "anonymous_key"
        ),
    )
    if dst.author_id is not None:
        twice |= Q(user_id=dst.author_id)
    if dst.anonymous_key is not None:
        twice |= Q(anonymous_key=dst.anonymous_key)
    moving.filter(twice).delete()
    moving.update(**{subject_field: dst})
    # The duplicate's author reported the same thing: a "me too" for `dst`
    # (unless they are its author too).
    if src.author_id is not None and src.author_id != dst.author_id:
        support_model.objects.get_or_create(
            **{subject_field: dst}, user_id=src.author_id
        )
    elif (
        src.author_id is None
        and src.anonymous_key is not None
        and src.anonymous_key != dst.anonymous_key
    ):
        support_model.objects.get_or_create(
            **{subject_field: dst}, anonymous_key=src.anonymous_key
        )
