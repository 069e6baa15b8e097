"""Reads of feedback shared by the pages, the API and open data.

Every function runs a fixed number of queries whatever the number of rows, and
every public read starts from `FeedbackItem.objects.public()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import BigIntegerField, F, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from core.cursors import cursor_decode, cursor_encode
from core.models import City, District
from core.text.analysis import query_terms
from core.text.fields import current_text_language
from core.text.search import matching, ranked
from discussions.models import Discussion
from discussions.selectors import discussions_by_key
from feedback.models import (
    FeedbackItem,
    FeedbackPhoto,
    FeedbackService,
    FeedbackStatusChange,
    FeedbackSupport,
    Kind,
    Status,
    public_items_q,
    tracking_token_hash,
)

# --- knowledge base -------------------------------------------------------------

KB_PAGE_SIZE = 20
# A search ranks only the newest this many matches: a common word on 200,000
# items would otherwise rank them all (`ts_rank` reads every matching row).
# Older matches are still found by narrowing the search with filters or words.
KB_SEARCH_CANDIDATES = 500
# The rank is paged as an integer (cursors hold ints, datetimes or strings).
_RANK_SCALE = 1_000_000


@dataclass
class FeedbackPage:
    """One page of the knowledge base; the cursors go in `after` / `before`."""

    items: list[FeedbackItem]
    next_cursor: str | None
    previous_cursor: str | None
    searched: bool = False


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def feedback_public_filtered(
    *,
    city: City | None = None,
    service: FeedbackService | None = None,
    kind: str = "",
    district: District | None = None,
    status: str = "",
    sent_from: date | None = None,
    sent_to: date | None = None,
) -> QuerySet[FeedbackItem]:
    """Public items, merged duplicates left out, narrowed by the filters given.

    `sent_from` and `sent_to` are days, both included (in the site's time zone).
    """
    qs = FeedbackItem.objects.public().filter(merged_into__isnull=True)
    if city is not None:
        qs = qs.filter(city=city)
    if service is not None:
        qs = qs.filter(service=service)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if district is not None:
        qs = qs.filter(district=district)
    if status in Status.values:
        qs = qs.filter(status=status)
    if sent_from is not None:
        qs = qs.filter(requested_at__gte=_day_start(sent_from))
    if sent_to is not None:
        qs = qs.filter(requested_at__lt=_day_start(sent_to + timedelta(days=1)))
    return qs


def _keyset(
    qs: QuerySet, key: str, kind: type, after: str, before: str, page_size: int
) -> tuple[list, str | None, str | None]:
    """Rows ordered by `(key, pk)` descending, after or before a cursor.

    Returns the rows and the cursors of the next and previous pages (None at
    either end). A cursor that is not ours shows the first page.
    """
    position = cursor_decode(after, kind=kind) if after else None
    backwards = False
    if position is None and before:
        position = cursor_decode(before, kind=kind)
        backwards = position is not None
    if position is None:
        rows = list(qs.order_by(f"-{key}", "-pk")[: page_size + 1])
        more, rows = len(rows) > page_size, rows[:page_size]
        has_next, has_previous = more, False
    elif not backwards:
        value, pk = position
        later = Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk})
        rows = list(qs.filter(later).order_by(f"-{key}", "-pk")[: page_size + 1])
        more, rows = len(rows) > page_size, rows[:page_size]
        # We came from the page before this one.
        has_next, has_previous = more, True
    else:
        value, pk = position
        earlier = Q(**{f"{key}__gt": value}) | Q(**{key: value, "pk__gt": pk})
        rows = list(qs.filter(earlier).order_by(key, "pk")[: page_size + 1])
        more, rows = len(rows) > page_size, rows[:page_size]
        rows.reverse()
        has_next, has_previous = True, more

    def token(row) -> str:
        return cursor_encode(getattr(row, key), row.pk)

    next_cursor = token(rows[-1]) if rows and has_next else None
    previous_cursor = token(rows[0]) if rows and has_previous else None
    return rows, next_cursor, previous_cursor


def feedback_kb_list(
    *,
    city: City | None = None,
    service: FeedbackService | None = None,
    kind: str = "",
    district: District | None = None,
    status: str = "",
    sent_from: date | None = None,
    sent_to: date | None = None,
    q: str = "",
    after: str = "",
    before: str = "",
    page_size: int | None = None,
    language: str | None = None,
) -> FeedbackPage:
    """One page of the public knowledge base, keyset-paginated. One query.

    Without `q`: newest first (by `requested_at`). With `q`: the items holding
    every word in any inflection (`core.text.search`; "kirjastoon" finds
    "kirjasto"), best first, where only the newest `KB_SEARCH_CANDIDATES`
    matches are ranked so a common word stays fast.
    """
    page_size = page_size or KB_PAGE_SIZE
    qs = feedback_public_filtered(
        city=city,
        service=service,
        kind=kind,
        district=district,
        status=status,
        sent_from=sent_from,
        sent_to=sent_to,
    )
    query = query_terms(q, language or current_text_language()) if q else []
    if q and not query:
        # Words the analysis keeps nothing of (punctuation only): nothing found.
        return FeedbackPage(items=[], next_cursor=None, previous_cursor=None)
    if query:
        newest_matches = (
            matching(qs, query).order_by("-requested_at", "-pk").values("pk")
        )[:KB_SEARCH_CANDIDATES]
        qs = ranked(FeedbackItem.objects.filter(pk__in=newest_matches), query)
        qs = qs.annotate(
            rank_key=Cast(F("rank") * _RANK_SCALE, output_field=BigIntegerField())
        )
        key, kind_ = "rank_key", int
    else:
        key, kind_ = "requested_at", datetime
    qs = qs.select_related("city", "service", "district")
    rows, next_cursor, previous_cursor = _keyset(
        qs, key, kind_, after, before, page_size
    )
    return FeedbackPage(
        items=rows,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        searched=bool(query),
    )


def feedback_kb_item_get(*, pk: int) -> FeedbackItem | None:
    """A public item with what its page shows; None when it is not public.

    Its `public_history` holds the public steps of the handling trail (internal
    notes never), `public_photos` the approved photos. Three queries.
    """
    return (
        FeedbackItem.objects.public()
        .select_related("city", "service", "district", "agency")
        .prefetch_related(
            Prefetch(
                "history",
                queryset=FeedbackStatusChange.objects.filter(internal=False).order_by(
                    "created_at", "id"
                ),
                to_attr="public_history",
            ),
            Prefetch(
                "photos",
                queryset=FeedbackPhoto.objects.filter(approved=True).order_by(
                    "created_at", "id"
                ),
                to_attr="public_photos",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def feedback_kb_merged_target(*, pk: int) -> FeedbackItem | None:
    """The public item that the once-public duplicate `pk` was merged into, if any.

    A duplicate that was never published stays unknown (its page is a 404)."""
    duplicate = (
        FeedbackItem.objects.filter(public_items_q(), pk=pk, merged_into__isnull=False)
        .only("pk", "merged_into_id")
        .first()
    )
    if duplicate is None:
        return None
    return FeedbackItem.objects.public().filter(pk=duplicate.merged_into_id).first()


def feedback_is_supported_by(
    *, item: FeedbackItem, user=None, anonymous_key=None
) -> bool:
    """Whether this person already said "me too" about `item`."""
    if user is not None and user.is_authenticated:
        return FeedbackSupport.objects.filter(item=item, user=user).exists()
    if anonymous_key is not None:
        return FeedbackSupport.objects.filter(
            item=item, anonymous_key=anonymous_key
        ).exists()
    return False


def feedback_recently_answered(*, limit: int = 5) -> list[FeedbackItem]:
    """The public items the city answered last, for the home page. One query."""
    return list(
        FeedbackItem.objects.public()
        .filter(merged_into__isnull=True, answered_at__isnull=False)
        .exclude(answer="")
        .select_related("city", "service")
        .order_by("-answered_at", "-pk")[:limit]
    )


def feedback_kb_discussion_get(*, item: FeedbackItem) -> Discussion | None:
    """The item's comment thread, or None before the first comment (a read)."""
    key = str(item.pk)
    return discussions_by_key([(FeedbackItem._meta.label_lower, key)]).get(key)


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


def item_by_token(token: str) -> FeedbackItem | None:
    """The item whose follow-up token is `token` (None for a made-up one)."""
    if not token or len(token) > 200:
        return None
    return (
        FeedbackItem.objects.select_related("service")
        .filter(tracking_token_hash=tracking_token_hash(token))
        .first()
    )
