"""What ideas adds to the shared registries (activity, header, notifications).

Registered from `IdeasConfig.ready()`; reads only.
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from core.searchables import Document
from discussions.registrations import COMMENT_SEARCH_KIND, comment_ids_of_targets
from discussions.targets import Places, int_keys, places_from_rows
from ideas.models import Dream, DreamStatus, DreamSupport

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


# --- Search ---------------------------------------------------------------------

DREAM_SEARCH_KIND = "dream"


def _public_dreams():
    # Every dream is public from its creation; a merged one lives on in its target.
    return Dream.objects.exclude(status=DreamStatus.MERGED)


def dream_documents(ids) -> list[Document]:
    """The public dreams among `ids` as search documents (two queries)."""
    dreams = (
        _public_dreams()
        .filter(pk__in=ids)
        .only(
            "pk",
            "title",
            "description",
            "what_would_change",
            "language",
            "created_at",
            "city_id",
            "district_id",
        )
        .prefetch_related("topics")
    )
    return [
        Document(
            kind=DREAM_SEARCH_KIND,
            object_id=dream.pk,
            language=dream.language,
            title=dream.title,
            body="\n".join(filter(None, [dream.description, dream.what_would_change])),
            url=dream.get_absolute_url(),
            date=dream.created_at,
            city_id=dream.city_id,
            district_ids=(dream.district_id,) if dream.district_id else (),
            topic_ids=tuple(topic.pk for topic in dream.topics.all()),
        )
        for dream in dreams
    ]


def public_dream_ids():
    return _public_dreams().values_list("pk", flat=True).iterator()


def dream_places(keys: Collection[str]) -> dict[str, Places]:
    """The district and topics of the dreams these discussion keys name (one
    query): the comments on a dream are found where the dream is."""
    rows = (
        Dream.objects.filter(pk__in=int_keys(keys))
        .order_by()
        .values_list("pk", "district_id", "topics")
    )
    return places_from_rows(rows)


def dream_dependents(ids) -> dict[str, list[int]]:
    """The comments on a dream carry its district and topics: reread with it."""
    return {COMMENT_SEARCH_KIND: comment_ids_of_targets(Dream._meta.label_lower, ids)}
