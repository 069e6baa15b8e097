"""What ideas adds to the shared registries (activity, header, notifications).

Registered from `IdeasConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from ideas.models import Dream, DreamSupport

STATUS_KIND = "ideas.dream_status"


def dream_activity(user, limit: int) -> list[ActivityItem]:
    """The dreams `user` told, newest first (one query)."""
    dreams = (
        Dream.objects.filter(author=user)
        .only("pk", "title", "created_at", "status")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            kind=_("Told a service dream"),
            title=dream.title,
            url=dream.get_absolute_url(),
            date=dream.created_at,
            state=str(dream.get_status_display()),
        )
        for dream in dreams
    ]


def dream_support_activity(user, limit: int) -> list[ActivityItem]:
    """The dreams `user` supported, newest first (one query)."""
    supports = (
        DreamSupport.objects.filter(user=user)
        .select_related("dream")
        .only("pk", "created_at", "dream__id", "dream__title")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            kind=_("Supported a service dream"),
            title=support.dream.title,
            url=support.dream.get_absolute_url(),
            date=support.created_at,
        )
        for support in supports
    ]


def describe_dream(dream: Dream) -> tuple[str, str]:
    return dream.title, dream.get_absolute_url()
