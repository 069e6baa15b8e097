"""Reads of planned services shared by the pages, the page lists and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
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
        Q(state__status=Lifecycle.OPEN)
        & (
            Q(state__comments_open_at__isnull=True)
            | Q(state__comments_open_at__lte=now)
        )
        & (
            Q(state__comments_close_at__isnull=True)
            | Q(state__comments_close_at__gt=now)
        )
    )


SERVICE_ORDERS = {
    "newest": ("-first_published_at", "-id"),
    "closing": ("state__comments_close_at", "id"),
    "title": ("title", "id"),
}


def _language_rank(language: str, wanted: str) -> int:
    """Which version of a service a list shows: the visitor's language, else the
    site's default (the one services are written in first), else any."""
    if language == wanted:
        return 0
    return 1 if language == settings.LANGUAGE_CODE.split("-")[0] else 2


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
    """Live public planned services (under `parent` and its translations, else
    everywhere), filtered (`topic` is a topic's slug, `district` a district's id)
    and sorted, each service once: in the active language where it has a version
    there, else in another, marked by `.shown_in_other_language`. Each has
    `.discussion` attached, `.city`, `.state` and `.locale` selected and `topics`
    prefetched; four queries."""
    wanted = Locale.get_active().language_code
    qs = PlannedServicePage.objects.live().public()
    if parent is not None:
        qs = qs.filter(_under_translations_of(parent))
    if open_now:
        qs = qs.filter(open_now_filter())
    if status in Lifecycle.values:
        qs = qs.filter(state__status=status)
    if topic:
        qs = qs.filter(topics__slug=topic)
    if district:
        qs = qs.filter(districts__id=district)
    ordering = SERVICE_ORDERS.get(order, SERVICE_ORDERS["newest"])
    candidates = qs.distinct().order_by(*ordering)
    chosen: dict = {}  # translation key -> (rank, position, pk, closes)
    for position, (pk, key, language, closes) in enumerate(
        candidates.values_list(
            "pk", "translation_key", "locale__language_code", "state__comments_close_at"
        )
    ):
        rank = _language_rank(language, wanted)
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, position, pk, closes)
    picked = sorted(chosen.values(), key=lambda row: row[1])
    if order == "closing":
        # Services without a closing date go last.
        picked.sort(key=lambda row: row[3] is None)
    ids = [row[2] for row in picked[:limit]]
    by_id = (
        PlannedServicePage.objects.select_related("city", "state", "locale")
        .prefetch_related("topics")
        .in_bulk(ids)
    )
    pages = [by_id[pk] for pk in ids if pk in by_id]
    for page in pages:
        page.shown_in_other_language = page.locale.language_code != wanted
    _attach_service_extras(pages)
    return pages


def _under_translations_of(parent: Page) -> Q:
    """Children of `parent` or of its other language versions (a city's services
    in every language). A city page is matched by its city, without a query."""
    city_id = getattr(parent, "city_id", None)
    if city_id is not None:
        return Q(city_id=city_id)
    parents = Page.objects.filter(translation_key=parent.translation_key)
    q = Q(pk__in=[])
    for each in parents.only("path", "depth"):
        q |= Q(path__startswith=each.path, depth=each.depth + 1)
    return q


def _attach_service_extras(pages: list[PlannedServicePage]) -> None:
    if not pages:
        return
    discussions = discussions_by_key([(PAGE_TARGET, p.discussion_key) for p in pages])
    for page in pages:
        page.discussion = discussions.get(page.discussion_key)


def service_copies_by_language(*, page: PlannedServicePage) -> dict:
    """The live language versions of `page`'s service by language code (one
    query)."""
    copies = (
        PlannedServicePage.objects.live()
        .filter(translation_key=page.translation_key)
        .select_related("locale", "state")
    )
    return {copy.locale.language_code: copy for copy in copies}


@dataclass
class ShownAnswer:
    """The city's answer as a version of the service shows it."""

    text: str
    language: str
    translated: bool  # written in the page's own language


def service_answer_get(
    *, page: PlannedServicePage, sections: list[PlannedServiceSection]
) -> ShownAnswer | None:
    """The published answer for `page`: its own text when this version has one,
    else the text of a version that has (the default language's first), in that
    language. None before the answer is published. Each of `sections` gets
    `.shown_answer`, its part of that answer. No query when the page has its own
    text; two otherwise."""
    if not page.answer_is_public:
        return None
    own_language = page.locale.language_code
    if _has_text(page.answer):
        for section in sections:
            section.shown_answer = section.answer
        return ShownAnswer(text=page.answer, language=own_language, translated=True)
    source = _answer_source(page=page)
    if source is None:
        return None
    by_key = {s.key: s.answer for s in source.sections.all()}
    for section in sections:
        section.shown_answer = by_key.get(section.key, "")
    return ShownAnswer(
        text=source.answer, language=source.locale.language_code, translated=False
    )


def _answer_source(*, page: PlannedServicePage) -> PlannedServicePage | None:
    """The live copy, other than `page`, whose answer the copies without their
    own show: the page's language, else the default language's, else any."""
    own_language = page.locale.language_code
    others = (
        PlannedServicePage.objects.live()
        .filter(translation_key=page.translation_key)
        .exclude(pk=page.pk)
        .exclude(answer="")
        .select_related("locale")
        .prefetch_related("sections")
    )
    ranked = sorted(
        (p for p in others if _has_text(p.answer)),
        key=lambda p: (_language_rank(p.locale.language_code, own_language), p.pk),
    )
    return ranked[0] if ranked else None


def service_answer_to_publish(*, page: PlannedServicePage) -> ShownAnswer | None:
    """The answer publishing it from `page` would show: the text of the page's
    latest revision (published with it), else a live copy's; None when no copy
    has any (the publication is refused then)."""
    latest = page.get_latest_revision_as_object()
    if _has_text(latest.answer):
        return ShownAnswer(
            text=latest.answer, language=page.locale.language_code, translated=True
        )
    source = _answer_source(page=page)
    if source is None:
        return None
    return ShownAnswer(
        text=source.answer, language=source.locale.language_code, translated=False
    )


def _has_text(html: str) -> bool:
    return bool(strip_tags(html or "").strip())


def service_filter_choices(*, parent: Page, city) -> dict:
    """Topics used by live services the city page lists (in any language, as
    `planned_service_list` falls back) and the city's districts, for the filter
    form, each sorted by its name in the active language. Two queries (one
    without a city)."""
    if getattr(parent, "city_id", None) is not None:
        under = Q(planned_services__city_id=parent.city_id)
    else:
        under = Q(planned_services__path__startswith=parent.path)
    topics = list(Topic.objects.filter(under, planned_services__live=True).distinct())
    districts = list(District.objects.filter(city=city)) if city else []
    return {
        "topics": sorted(topics, key=_by_name),
        "districts": sorted(districts, key=_by_name),
    }


def _by_name(row: Topic | District) -> str:
    # The names are translated columns (`core.translation`): sorted in Python in
    # the language the page is shown in.
    return row.name.casefold()
