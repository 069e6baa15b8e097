"""Shared reads of feedback. Every public read starts from
`FeedbackItem.objects.public()`; search goes through `core.text.search`."""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import City
from core.text.analysis import query_terms
from core.text.fields import current_text_language
from core.text.search import matching, ranked
from feedback.models import FeedbackItem, FeedbackStatusChange

# --- similar

# Very common words can match thousands of items; only this many newest
# candidates are ranked (a text that unspecific finds nothing useful anyway).
SIMILAR_CANDIDATES = 300
SIMILAR_LIMIT = 5


def similar_answered(
    text: str,
    *,
    city: City | None = None,
    language: str | None = None,
    limit: int = SIMILAR_LIMIT,
) -> list[FeedbackItem]:
    """Published, answered feedback most like `text` (what a resident is typing),
    best first: "maybe your question is already answered". Two queries at most,
    none for text without words; only public text is searched and returned."""
    query = query_terms(text, language or current_text_language())
    if not query:
        return []
    qs = FeedbackItem.objects.public().exclude(answer="").filter(merged_into=None)
    if city is not None:
        qs = qs.filter(city=city)
    candidates = matching(qs, query, require_all=False).order_by(
        "-requested_at", "-id"
    )[:SIMILAR_CANDIDATES]
    found = (
        FeedbackItem.objects.filter(pk__in=candidates.values("pk"))
        .select_related("service")
        .only(
            "pk",
            "public_title",
            "answer",
            "answered_at",
            "language",
            "status",
            "kind",
            "requested_at",
            "service__name_fi",
            "service__name_sv",
            "service__name_en",
        )
    )
    return list(ranked(found, query).order_by("-rank", "-requested_at", "-pk")[:limit])


# --- the sender's follow-up page


def public_history(item: FeedbackItem) -> QuerySet[FeedbackStatusChange]:
    """The handling trail without the handlers' internal notes."""
    return item.history.filter(internal=False).order_by("created_at", "id")
