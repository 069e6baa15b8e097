"""Dream search through `core.text`: inflected words in Finnish, Swedish and
English find their dreams, on SQLite and PostgreSQL alike, in fixed queries."""

import pytest
from django.db import connection

from ideas import selectors
from ideas.models import Dream
from ideas.services import dream_language_set, dream_merge
from tests.ideas.factories import DreamFactory

pytestmark = pytest.mark.django_db

FIXTURE = {
    "library_fi": ("Kirjasto auki iltaisin", "Lainaa kirjoja myöhään.", "fi"),
    "night_bus_fi": ("Yöbussi Kallioon", "Viikonloppuisin koko yön.", "fi"),
    "night_bus_sv": ("Nattbuss till skärgården", "Hela natten på helgerna.", "sv"),
    "library_en": ("Library open on Sundays", "Borrow books at the weekend.", "en"),
    "pool_fi": ("Uimahalli aamuisin", "Avautuisi kuudelta.", "fi"),
}


@pytest.fixture
def dreams(city):
    return {
        key: DreamFactory(
            city=city, title=title, description=description, language=language
        )
        for key, (title, description, language) in FIXTURE.items()
    }


def _titles(**filters) -> set[str]:
    return {dream.title for dream in selectors.dream_list(**filters).dreams}


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("kirjastoon", "fi", "library_fi"),
        ("yöbussit", "fi", "night_bus_fi"),
        ("nattbussar", "sv", "night_bus_sv"),
        ("libraries", "en", "library_en"),
        # A Swede on the Finnish site finds the Swedish dream too.
        ("nattbussar", "fi", "night_bus_sv"),
    ],
)
def test_an_inflected_word_finds_its_dream(dreams, query, language, expected):
    found = _titles(q=query, language=language)
    assert dreams[expected].title in found
    assert dreams["pool_fi"].title not in found
    similar = selectors.similar_dreams(query, language=language)
    assert similar and similar[0] == dreams[expected]


def test_unrelated_words_find_nothing(dreams):
    assert _titles(q="avaruusraketti") == set()
    assert _titles(q="kirjastoon avaruusraketti") == set()  # every word must match
    assert selectors.similar_dreams("Avaruusraketti kuuhun", "Lento kuuhun") == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite ranks by the number of query words matched, not their weight",
)
def test_the_title_weighs_most_in_the_similar_hint(city):
    in_text = DreamFactory(
        city=city,
        title="Iltapäiväkerho",
        description="Kerho kirjaston tiloissa lapsille.",
        support_count=50,
    )
    in_title = DreamFactory(
        city=city, title="Kirjasto lähiöön", description="Lähelle kotia."
    )
    assert selectors.similar_dreams("kirjastoon")[:2] == [in_title, in_text]


def test_merged_dreams_are_not_suggested_and_the_target_takes_their_words(
    city, facilitator
):
    target = DreamFactory(city=city, title="Nuorten iltatila", description="Tila.")
    duplicate = DreamFactory(
        city=city, title="Kirjasto auki iltaisin", description="Nuorille."
    )
    assert selectors.similar_dreams("kirjastoon") == [duplicate]

    dream_merge(source=duplicate, target=target, by=facilitator)

    assert selectors.similar_dreams("kirjastoon") == [target]
    assert _titles(q="kirjastoon") == {target.title}


def test_staff_correct_the_language_and_the_dream_is_analysed_again(city, facilitator):
    dream = DreamFactory(
        city=city, title="Libraries for everyone", description="Open", language="fi"
    )
    assert _titles(q="library", language="en") == set()

    dream_language_set(dream=dream, language="en", by=facilitator)

    dream.refresh_from_db()
    assert dream.language == "en"
    assert _titles(q="library", language="en") == {dream.title}


def test_a_long_or_empty_query_is_answered_in_fixed_queries(
    dreams, client, django_assert_num_queries
):
    long_query = ("kirjastoon yöbussit " * 600)[:10_000]
    with django_assert_num_queries(1):  # the dreams (none: no topics to fetch)
        page = selectors.dream_list(q=long_query)
    assert {d.title for d in page.dreams} == set()  # both words in no one dream
    with django_assert_num_queries(2):
        assert len(selectors.dream_list(q="").dreams) == len(FIXTURE)
    with django_assert_num_queries(1):
        assert selectors.similar_dreams(long_query)[0] in {
            dreams["library_fi"],
            dreams["night_bus_fi"],
        }
    assert selectors.similar_dreams("") == []

    response = client.get("/dreams/", {"q": long_query})
    assert response.status_code == 200
    response = client.get("/dreams/", {"q": "kirjastoon"})
    assert response.status_code == 200
    body = response.content.decode()
    assert FIXTURE["library_fi"][0] in body
    assert FIXTURE["pool_fi"][0] not in body
    similar = client.get("/dreams/similar/", {"title": long_query})
    assert similar.status_code == 200


def test_the_list_query_count_does_not_grow_with_matches(
    city, django_assert_num_queries
):
    for n in range(30):
        DreamFactory(city=city, title=f"Kirjasto numero {n}")
    with django_assert_num_queries(2):
        page = selectors.dream_list(q="kirjastoissa", page_size=10)
    assert len(page.dreams) == 10 and page.next_cursor


def test_keyset_pagination_walks_the_search_results_once(city):
    matching = {DreamFactory(city=city, title=f"Yöbussi {n}").pk for n in range(17)}
    DreamFactory.create_batch(5, city=city, title="Uimahalli")
    for sort in selectors.SORTS:
        seen, cursor = [], ""
        while True:
            page = selectors.dream_list(
                q="yöbussit", sort=sort, cursor=cursor, page_size=5
            )
            seen.extend(dream.pk for dream in page.dreams)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert sorted(seen) == sorted(matching), sort


def test_the_old_postgresql_column_is_gone(dreams):
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, Dream._meta.db_table
            )
        }
    assert "search_tsv" not in columns
    assert "search_terms" in columns


def test_the_hint_endpoint_finds_inflected_words_and_gives_their_language(
    client, dreams
):
    response = client.get("/dreams/similar/", {"title": "nattbussar"})
    assert response.status_code == 200
    (first, *_rest) = response.json()["results"]
    assert first["id"] == dreams["night_bus_sv"].pk
    assert first["language"] == "sv"
