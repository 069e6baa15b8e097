"""What participation adds to the shared registries (activity, notifications,
search).

Registered from `ParticipationConfig.ready()`; reads only.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from django.db.models import IntegerField, QuerySet, Value
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from core.actors import as_uuid
from core.searchables import Document
from discussions.models import DiscussionSupport, SupportValue
from discussions.registrations import COMMENT_SEARCH_KIND, comment_ids_of_targets
from discussions.targets import Places, places_from_rows
from participation.models import PlannedServicePage, PlannedServiceSection
from participation.selectors import PAGE_TARGET, SECTION_TARGET

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


def _uuids(keys: Collection[str]) -> list[uuid.UUID]:
    """The keys that can be ours (a key that is no UUID has no places)."""
    return [key for key in map(as_uuid, keys) if key is not None]


def _place_rows(pages: QuerySet, key: str) -> QuerySet:
    """`(key, district_id, None)` and `(key, None, topic_id)` rows of `pages`, in
    one query: a UNION, which also drops the language copies' repeats (a join of
    both would multiply districts by topics)."""
    none = Value(None, output_field=IntegerField())
    pages = pages.order_by()
    return pages.values_list(key, "districts", none).union(
        pages.values_list(key, none, "topics")
    )


def service_places(keys: Collection[str]) -> dict[str, Places]:
    """The districts and topics of the services these discussion keys (translation
    keys) name, from their live copies (one query)."""
    pages = PlannedServicePage.objects.filter(
        live=True, translation_key__in=_uuids(keys)
    )
    return places_from_rows(_place_rows(pages, "translation_key"))


def section_places(keys: Collection[str]) -> dict[str, Places]:
    """A section's comments are filed under its service's districts and topics
    (one query)."""
    pages = PlannedServicePage.objects.filter(live=True, sections__key__in=_uuids(keys))
    return places_from_rows(_place_rows(pages, "sections__key"))


# --- Search ---------------------------------------------------------------------

SERVICE_SEARCH_KIND = "service"
SECTION_SEARCH_KIND = "section"


def _live_pages():
    return PlannedServicePage.objects.live().public()


def _text(*parts: str) -> str:
    return "\n".join(strip_tags(part) for part in parts if part)


def service_documents(ids) -> list[Document]:
    """The published planned services among `ids` (each language copy its own
    document, in its language); the answer once the city published it."""
    pages = (
        _live_pages()
        .filter(pk__in=ids)
        .select_related("locale", "state")
        .prefetch_related("topics", "districts")
    )
    return [
        Document(
            kind=SERVICE_SEARCH_KIND,
            object_id=page.pk,
            language=page.locale.language_code,
            title=page.title,
            body=_text(
                page.summary, page.body, page.answer if page.answer_is_public else ""
            ),
            url=page.get_url() or "",
            date=page.first_published_at or page.latest_revision_created_at,
            city_id=page.city_id,
            district_ids=tuple(district.pk for district in page.districts.all()),
            topic_ids=tuple(topic.pk for topic in page.topics.all()),
        )
        for page in pages
    ]


def public_service_ids():
    return _live_pages().values_list("pk", flat=True).iterator()


def service_dependents(ids) -> dict[str, list[int]]:
    """A service's sections, and the comments on it and them, follow its
    publication."""
    pages = PlannedServicePage.objects.filter(pk__in=ids)
    sections = PlannedServiceSection.objects.filter(page__in=pages)
    keys = list(pages.values_list("translation_key", flat=True))
    section_keys = list(sections.values_list("key", flat=True))
    return {
        SECTION_SEARCH_KIND: list(sections.values_list("pk", flat=True)),
        COMMENT_SEARCH_KIND: comment_ids_of_targets(PAGE_TARGET, keys)
        + comment_ids_of_targets(SECTION_TARGET, section_keys),
    }


def section_documents(ids) -> list[Document]:
    """The sections of published services among `ids`, in their page's language."""
    sections = (
        PlannedServiceSection.objects.filter(pk__in=ids, page__in=_live_pages())
        .select_related("page", "page__locale", "page__state")
        .prefetch_related("page__topics", "page__districts")
    )
    documents = []
    for section in sections:
        page = section.page
        answer = section.answer if page.answer_is_public else ""
        documents.append(
            Document(
                kind=SECTION_SEARCH_KIND,
                object_id=section.pk,
                language=page.locale.language_code,
                title=f"{page.title}: {section.title}",
                body=_text(section.body, section.question, answer),
                url=f"{page.get_url() or ''}#section-{section.key}",
                date=page.first_published_at or page.latest_revision_created_at,
                city_id=page.city_id,
                district_ids=tuple(district.pk for district in page.districts.all()),
                topic_ids=tuple(topic.pk for topic in page.topics.all()),
            )
        )
    return documents


def public_section_ids():
    return (
        PlannedServiceSection.objects.filter(page__in=_live_pages())
        .values_list("pk", flat=True)
        .iterator()
    )
