"""Which documents are ranked when many match: the newest `MAX_CANDIDATES`
matches, found the same way whether the words are common, rare or in between
(`core.text.newest`: a walk newest first, or the GIN index on PostgreSQL), and
always exactly what the plain ordered query finds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.text import newest
from core.text.analysis import document, query_terms
from core.text.newest import newest_matching_ids
from core.text.search import matching
from search import selectors
from search.models import SearchDocument

pytestmark = pytest.mark.django_db

# Every 2nd document says "bussi", every 7th "kirjastoon", one in 40 "kummitus";
# dates run backwards with the number, and every 5th shares its date with the
# one before (ties are broken by the id, newest first).
TEXTS = {2: "Bussit kulkisivat iltaisin", 7: "Kirjastoon pääsisi", 40: "Kummitus"}


@pytest.fixture
def documents(city):
    now = timezone.now()
    rows = []
    for number in range(120):
        words = [text for every, text in TEXTS.items() if number % every == 0]
        body = " ".join(words) or "Puisto siistiksi"
        rows.append(
            SearchDocument(
                kind="comment",
                object_id=number,
                city=city,
                language="fi",
                title="Toive",
                body=body,
                url=f"/c/{number}/",
                date=now - timedelta(minutes=number - number % 5 // 4),
                search_terms=document(("Toive", "fi", 3), (body, "fi", 1)),
            )
        )
    SearchDocument.objects.bulk_create(rows)
    return SearchDocument.objects.all()


def _plain(queryset, text, limit):
    found = matching(queryset, query_terms(text, "fi")).order_by("-date", "-pk")
    return list(found.values_list("pk", flat=True)[:limit])


@pytest.mark.parametrize(
    ("walk_first", "walk_budget"),
    # All in one walk; walks that continue; too few in the walks (the index).
    [(2000, 40_000), (4, 60), (2, 6)],
)
@pytest.mark.parametrize(
    "text", ["bussi", "kirjastoon", "kummitus", "bussi kirjastoon", "avaruus"]
)
@pytest.mark.parametrize("limit", [5, 500])
def test_the_newest_matches_are_what_the_plain_query_finds(
    documents, monkeypatch, walk_first, walk_budget, text, limit
):
    every = {"bussi": 2, "kirjastoon": 7, "kummitus": 40, "bussi kirjastoon": 14}
    assert len(_plain(documents, text, 500)) == (
        -(-120 // every[text]) if text in every else 0
    )
    monkeypatch.setattr(newest, "WALK_FIRST", walk_first)
    monkeypatch.setattr(newest, "WALK_BUDGET", walk_budget)
    for queryset in (documents, documents.filter(object_id__gte=50)):
        found = newest_matching_ids(
            queryset, query_terms(text, "fi"), date_field="date", limit=limit
        )
        assert found == _plain(queryset, text, limit)


def test_a_rare_word_takes_the_index_and_a_common_one_only_the_walk(
    documents, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(newest, "WALK_FIRST", 10)
    monkeypatch.setattr(newest, "WALK_BUDGET", 30)
    postgresql = connection.vendor == "postgresql"
    # "bussi" is in every 2nd document: five hits in the first ten rows.
    with django_assert_num_queries(1):
        newest_matching_ids(
            documents, query_terms("bussi", "fi"), date_field="date", limit=5
        )
    # "kummitus": no hit in the first ten rows; PostgreSQL asks the index.
    with django_assert_num_queries(2 if postgresql else 1):
        found = newest_matching_ids(
            documents, query_terms("kummitus", "fi"), date_field="date", limit=5
        )
    assert found == _plain(documents, "kummitus", 5)


def test_the_page_ranks_the_newest_matches_and_says_more_matched(
    documents, monkeypatch
):
    monkeypatch.setattr(selectors, "MAX_CANDIDATES", 4)
    page = selectors.search_page(
        text="kirjastoon", language="fi", filters=selectors.Filters()
    )
    assert page.capped
    assert page.total == 4
    # Object numbers 0, 7, 14, 21 are the newest four of the every-7th.
    assert {result.document.object_id for result in page.results} == {0, 7, 14, 21}


def test_the_stored_vector_follows_every_write_of_the_terms(documents):
    old = documents.get(object_id=1)
    assert not _plain(documents.filter(pk=old.pk), "kummitus", 1)
    # A raw update, as a migration or a repair script might do.
    SearchDocument.objects.filter(pk=old.pk).update(
        search_terms=document(("Kummitus", "fi", 1))
    )
    assert _plain(documents.filter(pk=old.pk), "kummitus", 1) == [old.pk]
