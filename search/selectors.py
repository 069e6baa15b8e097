"""Reads of the search page: one ranked page of results, snippets, the editors'
zero-result list.

Ranking runs over a bounded candidate set: the newest `MAX_CANDIDATES`
matching documents (by date, then id: the same set on every page) are the
candidates, and only those are ranked, visitor's language first, then by
`core.text.search.ranked`, then newest. So a common word in a million comments
costs about what a rare one does, and paging is bounded too (`MAX_PAGES`). Two
queries a page: the candidates' ids (their number is the count) and the ranked
page itself.

On PostgreSQL the planner picks how to find the newest matches, from the stored
vector's statistics (`core.text.search.LemmaIndex`): a rare word through the GIN
index, then sorted by date; a common word by walking the date index newest first
(`search_document_newest`) and testing each row's stored vector, which stops at
the 500th match.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.safestring import SafeString, mark_safe

from core import searchables
from core.text.analysis import (
    MIN_HEAD_LENGTH,
    index_terms,
    language_of,
    query_terms,
)
from core.text.newest import newest_matching_ids
from core.text.search import Query, ranked
from search.models import SearchDocument, ZeroResultQuery

PAGE_SIZE = 20
MAX_CANDIDATES = 500
MAX_PAGES = MAX_CANDIDATES // PAGE_SIZE
# Words of context a snippet shows around the first match.
SNIPPET_WORDS = 30


@dataclass(frozen=True)
class Filters:
    """What the visitor narrowed the search to (all optional, all validated)."""

    kinds: tuple[str, ...] = ()
    city_id: int | None = None
    district_id: int | None = None
    topic_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.kinds:
            queryset = queryset.filter(kind__in=self.kinds)
        if self.city_id is not None:
            queryset = queryset.filter(city_id=self.city_id)
        if self.district_id is not None:
            queryset = queryset.filter(districts=self.district_id)
        if self.topic_id is not None:
            queryset = queryset.filter(topics=self.topic_id)
        if self.date_from is not None:
            queryset = queryset.filter(date__date__gte=self.date_from)
        if self.date_to is not None:
            queryset = queryset.filter(date__date__lte=self.date_to)
        return queryset


@dataclass
class Result:
    document: SearchDocument
    kind_label: str
    title: SafeString
    snippet: SafeString


@dataclass
class ResultPage:
    results: list[Result] = field(default_factory=list)
    total: int = 0  # matches, counted up to MAX_CANDIDATES
    page: int = 1
    pages: int = 0
    capped: bool = False  # more matched than were ranked

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search_page(
    *, text: str, language: str, filters: Filters, page: int = 1
) -> ResultPage:
    """Page `page` of what matches every word of `text` (two queries; none for
    a query without words)."""
    query = query_terms(text, language)
    if not query:
        return ResultPage(page=page)
    candidate_ids = newest_matching_ids(
        filters.apply(SearchDocument.objects.all()),
        query,
        date_field="date",
        limit=MAX_CANDIDATES,
    )
    return _ranked_page(candidate_ids, query, language, page)


def _ranked_page(
    candidate_ids: list[int], query: Query, language: str, page: int
) -> ResultPage:
    total = len(candidate_ids)
    pages = min(MAX_PAGES, -(-total // PAGE_SIZE))
    result = ResultPage(
        total=total, page=page, pages=pages, capped=total >= MAX_CANDIDATES
    )
    if page > pages:
        return result
    start = (page - 1) * PAGE_SIZE
    rows = (
        ranked(SearchDocument.objects.filter(pk__in=candidate_ids), query)
        .annotate(
            own_language=Case(
                When(language=language_of(language), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .select_related("city")
        .defer("search_terms")
        .order_by("-own_language", "-rank", "-date", "-pk")[start : start + PAGE_SIZE]
    )
    rows = list(rows)
    labels = {kind: _kind_label(kind) for kind in {row.kind for row in rows}}
    result.results = [
        Result(
            document=row,
            kind_label=labels[row.kind],
            title=highlight(row.title, query, row.language, whole=True),
            snippet=highlight(row.body, query, row.language),
        )
        for row in rows
    ]
    return result


def _kind_label(kind: str) -> str:
    searchable = searchables.get(kind)
    return str(searchable.label) if searchable else kind


_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _matches(word: str, language: str, query: Query) -> bool:
    terms = set(index_terms(word, language)) | {word.casefold()}
    for exact, prefixes in query:
        if terms & exact:
            return True
        if any(
            term.startswith(prefix)
            for term in terms
            for prefix in prefixes
            if len(prefix) >= MIN_HEAD_LENGTH
        ):
            return True
    return False


def highlight(text: str, query: Query, language: str, *, whole: bool = False) -> str:
    """`text` escaped, with the words the query matched in `<mark>`.

    Escaping comes first, piece by piece (`html.escape`, what Django's `escape`
    does without its lazy-string wrapper, which cost more than the search):
    only the marks are markup. Unless `whole`, only about `SNIPPET_WORDS` words
    around the first match are kept, and only those and the words before the
    first match are analysed."""
    tokens = list(_TOKEN.finditer(text))
    known: dict[str, bool] = {}

    def hit(index: int) -> bool:
        # The same word is analysed once per text (texts repeat their words).
        word = tokens[index].group()
        if word not in known:
            known[word] = _matches(word, language, query)
        return known[word]

    lo, hi = 0, len(tokens)
    start_char, end_char = 0, len(text)
    if not whole and tokens:
        first = next((i for i in range(len(tokens)) if hit(i)), 0)
        lo = max(0, first - SNIPPET_WORDS // 3)
        hi = min(len(tokens), lo + SNIPPET_WORDS)
        start_char = tokens[lo].start() if lo else 0
        end_char = tokens[hi - 1].end() if hi < len(tokens) else len(text)
    pieces: list[str] = ["… " if start_char else ""]
    position = start_char
    for index in range(lo, hi):
        token = tokens[index]
        pieces.append(html.escape(text[position : token.start()]))
        word = html.escape(token.group())
        pieces.append(f"<mark>{word}</mark>" if hit(index) else word)
        position = token.end()
    pieces.append(html.escape(text[position:end_char]))
    if end_char < len(text):
        pieces.append(" …")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above


def zero_result_list(
    *, since: datetime.date, city_ids: list[int] | None = None, limit: int = 100
) -> list[dict]:
    """The most frequent queries that found nothing since `since` (one query)."""
    rows = ZeroResultQuery.objects.filter(day__gte=since)
    if city_ids is not None:
        rows = rows.filter(Q(city_id__in=city_ids) | Q(city__isnull=True))
    return list(
        rows.values("query", "language", city_name=F("city__name_fi"))
        .annotate(times=Sum("count"))
        .order_by("-times", "query")[:limit]
    )
