"""What participation adds to the shared registries (activity, notifications).

Registered from `ParticipationConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from discussions.models import DiscussionSupport, SupportValue
from participation.models import PlannedServicePage, PlannedServiceSection
from participation.selectors import PAGE_TARGET

ANSWER_KIND = "participation.answer_published"
NEW_KIND = "participation.new_consultation"


def position_activity(user, limit: int) -> list[ActivityItem]:
    """The planned services `user` supported or opposed, newest first (one query)."""
    positions = (
        DiscussionSupport.objects.filter(user=user, discussion__target_type=PAGE_TARGET)
        .select_related("discussion")
        .only("pk", "value", "updated_at", "discussion__title", "discussion__url")
        .order_by("-updated_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            kind=_("Supported a planned service")
            if position.value == SupportValue.SUPPORT
            else _("Opposed a planned service"),
            title=position.discussion.title,
            url=position.discussion.url,
            date=position.updated_at,
        )
        for position in positions
    ]


def describe_service(page: PlannedServicePage) -> tuple[str, str]:
    return page.title, page.url or ""


def service_visible(page: PlannedServicePage) -> bool:
    """Some language version of the service is published (one query)."""
    return PlannedServicePage.objects.filter(
        translation_key=page.translation_key, live=True
    ).exists()


def service_for_key(key: str) -> PlannedServicePage | None:
    """The followed copy of the service a discussion key names (its first copy:
    people reading any language follow the same one)."""
    return PlannedServicePage.objects.filter(translation_key=key).order_by("pk").first()


def service_for_section_key(key: str) -> PlannedServicePage | None:
    section = PlannedServiceSection.objects.filter(key=key).first()
    return service_for_key(str(section.page.translation_key)) if section else None
