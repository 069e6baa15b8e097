"""Reads of dreams shared by the pages, the JSON endpoint, the admin and the API.

Every function runs a fixed number of queries whatever the number of rows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone

from core.cursors import cursor_decode, cursor_encode
from core.models import City, District, Topic
from core.text.analysis import query_terms
from core.text.fields import current_text_language
from core.text.search import Query, matching, ranked
from discussions.models import Discussion
from discussions.selectors import discussions_by_key
from ideas.models import (
    CLOSED_STATUSES,
    Dream,
    DreamStatus,
    DreamStatusChange,
    DreamSupport,
    TargetGroup,
)

PAGE_SIZE = 20
# Each sort's column, ordered descending and then by id (see the model's indexes).
SORT_KEYS = {"supported": "support_count", "newest": "created_at", "trending": "trend"}
SORTS = tuple(SORT_KEYS)
# Similarity ranks at most this many matching dreams.
SIMILAR_CANDIDATES = 300


@dataclass(frozen=True)
class WorkshopRef:
    """What the dream page shows of a workshop a dream went into."""

    title: str
    url: str
    starts_at: datetime | None = None


# Ideas must not import workshops (the dependency points the other way), so the
# workshops app registers how workshop ids become titles and addresses.
WorkshopResolver = Callable[[Iterable[int]], dict[int, WorkshopRef]]
_workshop_resolver: WorkshopResolver | None = None


def register_workshop_resolver(resolver: WorkshopResolver | None) -> None:
    """Called once by the workshops app; `resolver` answers in one query."""
    global _workshop_resolver
    _workshop_resolver = resolver


def workshop_refs(workshop_ids: Iterable[int]) -> dict[int, WorkshopRef]:
    """Workshop id -> title and address; empty when no workshops app is there."""
    ids = sorted(set(workshop_ids))
    if not ids or _workshop_resolver is None:
        return {}
    return _workshop_resolver(ids)


@dataclass
class DreamPage:
    dreams: list[Dream]
    next_cursor: str | None


def _decode_cursor(cursor: str, sort: str):
    """(value, pk) from a cursor, or None when it is not one of ours."""
    return cursor_decode(cursor, kind=datetime if sort == "newest" else int)


def _query(q: str, language: str | None) -> Query:
    """The analysed words of a search (`core.text`), in the page's language first."""
    return query_terms(q, language or current_text_language())


def _with_word_search(qs: QuerySet, query: Query) -> QuerySet:
    """Dreams whose text holds every word of the query, in any inflection."""
    return matching(qs, query) if query else qs


def dream_list(
    *,
    city: City | None = None,
    district: District | None = None,
    topic: Topic | None = None,
    target_group: str = "",
    status: str = "",
    q: str = "",
    sort: str = "supported",
    cursor: str = "",
    page_size: int = PAGE_SIZE,
    open_only: bool = False,
    language: str | None = None,
) -> DreamPage:
    """One page of public dreams (merged ones are left out), keyset-paginated.

    A city filter shows that city's dreams and the all-city ones; `open_only`
    leaves out the closed ones too (not pursued), as when choosing dreams to take
    to a workshop. `q` keeps the dreams holding all its words in any inflection
    (`core.text.search`; `language`, else the page's, is tried first) in the
    chosen order, so the cursor pages through the results as through the rest.
    Every sort is a keyset over an indexed column: "trending" orders by `trend`,
    the supports of the last `TRENDING_DAYS` (kept by the services and the hourly
    `refresh_trends` job). Two queries (the dreams with their city, their topics).
    """
    if sort not in SORTS:
        sort = "supported"
    qs = Dream.objects.exclude(status=DreamStatus.MERGED).select_related(
        "city", "district"
    )
    if open_only:
        qs = qs.exclude(status__in=CLOSED_STATUSES)
    if city is not None:
        qs = qs.filter(Q(city=city) | Q(city__isnull=True))
    if district is not None:
        qs = qs.filter(district=district)
    if topic is not None:
        qs = qs.filter(topics=topic)
    if target_group in TargetGroup.values:
        qs = qs.filter(target_group=target_group)
    if status in DreamStatus.values and status != DreamStatus.MERGED:
        qs = qs.filter(status=status)
    query = _query(q, language)
    qs = _with_word_search(qs, query)

    key = SORT_KEYS[sort]
    position = _decode_cursor(cursor, sort) if cursor else None
    if position is not None:
        value, pk = position
        qs = qs.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk}))
    rows = list(qs.order_by(f"-{key}", "-pk")[: page_size + 1])
    prefetch_related_objects(
        rows, Prefetch("topics", queryset=Topic.objects.order_by("name_fi"))
    )
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        next_cursor = cursor_encode(getattr(last, key), last.pk)
    return DreamPage(dreams=rows, next_cursor=next_cursor)


def dream_get(*, pk: int) -> Dream | None:
    """A dream with what its page shows: city, dreamer, topics, history, links.

    Each workshop link gets `workshop_ref` (title and address, or None) from the
    registered resolver: one more query when the dream has workshop links.
    """
    dream = (
        Dream.objects.select_related("city", "district", "author", "merged_into")
        .prefetch_related(
            "topics",
            Prefetch(
                "status_changes",
                queryset=DreamStatusChange.objects.order_by("changed_at", "id"),
            ),
            "links__page",
        )
        .filter(pk=pk)
        .first()
    )
    if dream is not None:
        links = list(dream.links.all())
        refs = workshop_refs(link.workshop_id for link in links if link.workshop_id)
        for link in links:
            link.workshop_ref = refs.get(link.workshop_id)
    return dream


def dream_discussion_get(*, dream: Dream) -> Discussion | None:
    """The dream's comment thread, or None when it has none (a read: the thread is
    made by the service that tells the dream)."""
    key = str(dream.pk)
    return discussions_by_key([(Dream._meta.label_lower, key)]).get(key)


def dream_is_supported_by(*, dream: Dream, user=None, anonymous_key=None) -> bool:
    if user is not None and user.is_authenticated:
        return DreamSupport.objects.filter(dream=dream, user=user).exists()
    if anonymous_key is not None:
        return DreamSupport.objects.filter(
            dream=dream, anonymous_key=anonymous_key
        ).exists()
    return False


def similar_dreams(
    title: str,
    description: str = "",
    city: City | None = None,
    limit: int = 5,
    exclude_id: int | None = None,
    language: str | None = None,
) -> list[Dream]:
    """The dreams most like the one being typed (merged ones left out), best first.

    Any of the words of the title and description (in any inflection, analysed by
    `core.text`) makes a dream a candidate; at most `SIMILAR_CANDIDATES` of them
    are ranked, by how many of the words they hold and how often (the title
    weighs most). One query, none for text without words.
    """
    query = _query(f"{title}\n{description}", language)
    if not query:
        return []
    qs = Dream.objects.exclude(status=DreamStatus.MERGED)
    if city is not None:
        qs = qs.filter(Q(city=city) | Q(city__isnull=True))
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    # Very common words can match tens of thousands of dreams; ranking them all
    # would cost more than the quality it buys (such a text is unspecific anyway).
    candidates = matching(qs, query, require_all=False).order_by(
        "-support_count", "-pk"
    )[:SIMILAR_CANDIDATES]
    found = Dream.objects.filter(pk__in=candidates.values("pk")).select_related(
        "city", "district"
    )
    return list(ranked(found, query).order_by("-rank", "-support_count", "-pk")[:limit])


def popular_dreams(*, limit: int = 5) -> list[Dream]:
    """The most supported open dreams, for the home page."""
    return list(
        Dream.objects.exclude(status__in=[DreamStatus.MERGED, DreamStatus.NOT_PURSUED])
        .select_related("city", "district")
        .order_by("-support_count", "-pk")[:limit]
    )


@dataclass
class Opportunity:
    topic: Topic | None
    target_group: str
    target_group_label: str
    dreams: int
    supports: int
    recent_supports: int
    previous_supports: int

    @property
    def trend(self) -> int:
        """Supports in the last 30 days minus those in the 30 days before."""
        return self.recent_supports - self.previous_supports

    @property
    def trend_size(self) -> int:
        return abs(self.trend)


def dream_opportunities(*, city: City | None = None) -> list[Opportunity]:
    """Demand by topic × target group: dreams, supports and the 30-day trend.

    Merged and not-pursued dreams are left out. Three queries.
    """
    open_dreams = Dream.objects.exclude(
        status__in=[DreamStatus.MERGED, DreamStatus.NOT_PURSUED]
    )
    if city is not None:
        open_dreams = open_dreams.filter(Q(city=city) | Q(city__isnull=True))
    totals = (
        open_dreams.values("topics", "target_group")
        .annotate(dreams=Count("pk", distinct=True), supports=Sum("support_count"))
        .order_by()
    )
    now = timezone.now()
    recent_start, previous_start = now - timedelta(days=30), now - timedelta(days=60)
    trend_rows = (
        DreamSupport.objects.filter(
            dream__in=open_dreams, created_at__gte=previous_start
        )
        .values("dream__topics", "dream__target_group")
        .annotate(
            recent=Count("pk", filter=Q(created_at__gte=recent_start)),
            previous=Count("pk", filter=Q(created_at__lt=recent_start)),
        )
        .order_by()
    )
    trends = {
        (row["dream__topics"], row["dream__target_group"]): row for row in trend_rows
    }
    topics = {t.pk: t for t in Topic.objects.all()}
    labels = dict(TargetGroup.choices)
    result = []
    for row in totals:
        trend = trends.get((row["topics"], row["target_group"]), {})
        result.append(
            Opportunity(
                topic=topics.get(row["topics"]),
                target_group=row["target_group"],
                target_group_label=str(labels.get(row["target_group"], "")),
                dreams=row["dreams"],
                supports=row["supports"] or 0,
                recent_supports=trend.get("recent", 0),
                previous_supports=trend.get("previous", 0),
            )
        )
    result.sort(
        key=lambda o: (
            o.topic.name if o.topic else "\uffff",
            -o.supports,
            o.target_group_label,
        )
    )
    return result


def triage_list(
    *,
    cities: QuerySet[City],
    city: City | None = None,
    status: str = "",
    q: str = "",
    include_all_cities: bool = True,
    limit: int = 200,
) -> list[Dream]:
    """Dreams a facilitator may follow through, newest first (admin triage view)."""
    scope = Q(city__in=cities)
    if include_all_cities:
        scope |= Q(city__isnull=True)
    qs = Dream.objects.filter(scope).select_related("city", "merged_into")
    if city is not None:
        qs = qs.filter(city=city)
    if status in DreamStatus.values:
        qs = qs.filter(status=status)
    qs = _with_word_search(qs, _query(q, None))
    return list(qs.order_by("-created_at", "-pk")[:limit])
