"""Reads of planned services shared by the pages, the page lists and the API."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale, Page

from core.db import UUIDText
from core.models import District, Topic
from discussions.models import Discussion
from discussions.selectors import discussions_by_key
from participation.models import (
    Lifecycle,
    PlannedServicePage,
    PlannedServiceSection,
)

PAGE_TARGET = "participation.plannedservicepage"
SECTION_TARGET = "participation.plannedservicesection"


def public_service_keys() -> QuerySet:
    """Translation keys (as text) of services with some language version live."""
    return (
        PlannedServicePage.objects.filter(live=True)
        .annotate(target=UUIDText("translation_key"))
        .values("target")
    )


def public_section_keys() -> QuerySet:
    """Keys (as text) of the sections of live services."""
    return (
        PlannedServiceSection.objects.filter(page__live=True)
        .annotate(target=UUIDText("key"))
        .values("target")
    )


def service_discussions(
    *, page: PlannedServicePage
) -> tuple[list[PlannedServiceSection], Discussion | None]:
    """The page's sections, each with `.discussion`, and the page's own discussion,
    in two queries. Reads only: a discussion not created yet (the page was never
    published through Wagtail) is None."""
    sections = list(page.sections.all())
    keys = [(PAGE_TARGET, page.discussion_key)] + [
        (SECTION_TARGET, s.discussion_key) for s in sections
    ]
    discussions = discussions_by_key(keys)
    for section in sections:
        section.discussion = discussions.get(section.discussion_key)
    return sections, discussions.get(page.discussion_key)


def open_now_filter(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return (
        Q(status=Lifecycle.OPEN)
        & (Q(comments_open_at__isnull=True) | Q(comments_open_at__lte=now))
        & (Q(comments_close_at__isnull=True) | Q(comments_close_at__gt=now))
    )


SERVICE_ORDERS = {
    "newest": ("-first_published_at", "-id"),
    "closing": ("comments_close_at", "id"),
    "title": ("title", "id"),
}


def planned_service_list(
    *,
    parent: Page | None = None,
    open_now: bool = False,
    topic: str = "",
    district: int | None = None,
    status: str = "",
    order: str = "newest",
    limit: int = 50,
) -> list[PlannedServicePage]:
    """Live public planned services (under `parent`, else in the active language),
    filtered (`topic` is a topic's slug, `district` a district's id) and sorted,
    each with `.discussion` attached, `.city` selected and `topics` prefetched."""
    qs = PlannedServicePage.objects.live().public()
    if parent is not None:
        qs = qs.child_of(parent)
    else:
        qs = qs.filter(locale=Locale.get_active())
    if open_now:
        qs = qs.filter(open_now_filter())
    if status in Lifecycle.values:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topics__slug=topic)
    if district:
        qs = qs.filter(districts__id=district)
    ordering = SERVICE_ORDERS.get(order, SERVICE_ORDERS["newest"])
    pages = list(
        qs.distinct()
        .order_by(*ordering)
        .select_related("city")
        .prefetch_related("topics")[:limit]
    )
    if order == "closing":
        # Services without a closing date go last.
        pages.sort(key=lambda p: (p.comments_close_at is None,))
    _attach_service_extras(pages)
    return pages


def _attach_service_extras(pages: list[PlannedServicePage]) -> None:
    if not pages:
        return
    discussions = discussions_by_key([(PAGE_TARGET, p.discussion_key) for p in pages])
    for page in pages:
        page.discussion = discussions.get(page.discussion_key)


def service_filter_choices(*, parent: Page, city) -> dict:
    """Topics used by live services under `parent` and the city's districts, for
    the filter form, each sorted by its name in the active language. Two queries
    (one without a city)."""
    topics = list(
        Topic.objects.filter(
            planned_services__live=True,
            planned_services__path__startswith=parent.path,
        ).distinct()
    )
    districts = list(District.objects.filter(city=city)) if city else []
    return {
        "topics": sorted(topics, key=_by_name),
        "districts": sorted(districts, key=_by_name),
    }


def _by_name(row: Topic | District) -> str:
    # The names are translated columns (`core.translation`): sorted in Python in
    # the language the page is shown in.
    return row.name.casefold()
