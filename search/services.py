"""Every write of the search app: the index and the zero-result counts.

`documents_reindex` is the writer `core.searchables` calls after the owning
app's transaction commits (set in `SearchConfig.ready`); the rebuild command and
the retention job call the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import searchables
from core.models import City
from core.searchables import Document
from core.text.analysis import (
    MAX_QUERY_WORDS,
    MIN_WORD_LENGTH,
    STOPWORDS,
    document,
    language_of,
    lemma,
    words,
)
from search.models import (
    BODY_MAX_LENGTH,
    QUERY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
    SearchDocument,
    ZeroResultQuery,
)

TITLE_WEIGHT = 3
CHUNK = 500
ZERO_RESULT_RETENTION_DAYS = 90


def _row(doc: Document) -> SearchDocument:
    language = language_of(doc.language)
    return SearchDocument(
        kind=doc.kind,
        object_id=doc.object_id,
        city_id=doc.city_id,
        language=language,
        title=(doc.title or "")[:TITLE_MAX_LENGTH],
        body=(doc.body or "")[:BODY_MAX_LENGTH],
        url=doc.url[:URL_MAX_LENGTH],
        date=doc.date,
        search_terms=document(
            (doc.title or "", language, TITLE_WEIGHT), (doc.body or "", language, 1)
        ),
    )


def documents_write(kind: str, ids: Sequence[int], docs: Iterable[Document]) -> int:
    """Replace the documents of `ids` of `kind` by `docs` (the public ones among
    them); an id without a doc loses its document. Returns how many were written."""
    docs = [doc for doc in docs if doc.kind == kind and doc.object_id in set(ids)]
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind, object_id__in=ids).delete()
        rows = SearchDocument.objects.bulk_create([_row(doc) for doc in docs])
        SearchDocument.topics.through.objects.bulk_create(
            SearchDocument.topics.through(searchdocument_id=row.pk, topic_id=topic)
            for row, doc in zip(rows, docs, strict=True)
            for topic in dict.fromkeys(doc.topic_ids)
        )
        SearchDocument.districts.through.objects.bulk_create(
            SearchDocument.districts.through(
                searchdocument_id=row.pk, district_id=district
            )
            for row, doc in zip(rows, docs, strict=True)
            for district in dict.fromkeys(doc.district_ids)
        )
    return len(rows)


def documents_reindex(kind: str, ids: Sequence[int]) -> None:
    """Write the current public documents of `ids` (and of what follows them)."""
    searchable = searchables.get(kind)
    if searchable is None:
        return
    for chunk in _chunks(ids):
        documents_write(kind, chunk, searchable.documents(chunk))
        if searchable.dependents:
            for dependent, dependent_ids in searchable.dependents(chunk).items():
                if dependent_ids:
                    documents_reindex(dependent, dependent_ids)


def index_rebuild(*, kinds: Sequence[str] | None = None, incremental: bool) -> dict:
    """Make the index agree with what is public now, per kind.

    Full: every public object's document is written anew. Incremental: only the
    differences (public but missing, indexed but no longer public) are fixed —
    what a cascade, a script or an admin delete changed behind the services'
    back. Returns {kind: (written, deleted)}."""
    result = {}
    registered = searchables.searchables()
    for kind in kinds or list(registered):
        searchable = registered[kind]
        public = set(searchable.all_ids())
        indexed = set(
            SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True)
        )
        stale = sorted(indexed - public)
        for chunk in _chunks(stale):
            SearchDocument.objects.filter(kind=kind, object_id__in=chunk).delete()
        todo = sorted(public if not incremental else public - indexed)
        written = 0
        for chunk in _chunks(todo):
            written += documents_write(kind, chunk, searchable.documents(chunk))
        result[kind] = (written, len(stale))
    SearchDocument.objects.exclude(kind__in=list(registered)).delete()
    return result


def zero_result_record(*, text: str, language: str, city: City | None) -> None:
    """Count one query that found nothing: its lemmas only, nothing of who asked."""
    normalised = query_normalise(text, language)
    if not normalised:
        return
    day = timezone.localdate()
    with transaction.atomic():
        updated = ZeroResultQuery.objects.filter(
            day=day, city=city, language=language_of(language), query=normalised
        ).update(count=F("count") + 1)
        if not updated:
            ZeroResultQuery.objects.get_or_create(
                day=day, city=city, language=language_of(language), query=normalised
            )


def query_normalise(text: str, language: str) -> str:
    """A query as its words' lemmas in the page's language: "Kirjastoon?" and
    "kirjastot" are both "kirjasto"."""
    language = language_of(language)
    lemmas = [
        lemma(word, language)
        for word in words(text)
        if len(word) >= MIN_WORD_LENGTH and word not in STOPWORDS[language]
    ]
    kept = list(dict.fromkeys(lemmas))[:MAX_QUERY_WORDS]
    return " ".join(kept)[:QUERY_MAX_LENGTH].strip()


def zero_results_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the counts older than the retention period; returns how many."""
    cutoff = timezone.localdate(now) - datetime.timedelta(
        days=ZERO_RESULT_RETENTION_DAYS
    )
    deleted, _ = ZeroResultQuery.objects.filter(day__lt=cutoff).delete()
    return deleted


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk
