"""The search page as a visitor meets it: marks after escaping, filters, and a
page (never an error) for every query string, however odd."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import District, Topic
from search.models import SearchDocument
from tests.factories import CityFactory
from tests.ideas.factories import DreamFactory

pytestmark = pytest.mark.django_db

URL = "/search/"


@pytest.fixture
def dreams(city, other_city):
    kallio = District.objects.create(city=city, slug="kallio", name_fi="Kallio")
    culture = Topic.objects.create(slug="kulttuuri", name_fi="Kulttuuri")
    here = DreamFactory(
        city=city,
        district=kallio,
        title="Kirjasto <script>alert(1)</script> iltaisin",
        description="Kirjastoon pääsisi <b>myöhään</b> illalla & viikonloppuna.",
        what_would_change="",
    )
    here.topics.add(culture)
    there = DreamFactory(
        city=other_city,
        title="Kirjastoauto saaristoon",
        description="Kirjat kulkisivat veneellä.",
        what_would_change="",
    )
    old = DreamFactory(
        city=city, title="Vanha kirjastotoive", description="", what_would_change=""
    )
    call_command("rebuild_search_index", verbosity=0)
    SearchDocument.objects.filter(kind="dream", object_id=old.pk).update(
        date=timezone.now() - timedelta(days=400)
    )
    return {
        "here": here,
        "there": there,
        "old": old,
        "kallio": kallio,
        "topic": culture,
    }


def _ids(response) -> set[int]:
    return {item.document.object_id for item in response.context["result"].results}


def test_matches_are_marked_after_escaping(client, dreams):
    response = client.get(URL, {"q": "kirjastoon"})
    html = response.content.decode()
    assert (
        "<mark>Kirjasto</mark> &lt;script&gt;alert(1)&lt;/script&gt; iltaisin" in html
    )
    assert "<mark>Kirjastoon</mark> pääsisi &lt;b&gt;myöhään&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html
    assert f'href="{dreams["here"].get_absolute_url()}"' in html


def test_filters_narrow_the_results(client, dreams, city, other_city):
    here, there, old = dreams["here"].pk, dreams["there"].pk, dreams["old"].pk
    assert _ids(client.get(URL, {"q": "kirjasto"})) == {here, there, old}
    assert _ids(client.get(URL, {"q": "kirjasto", "city": "turku"})) == {there}
    district = dreams["kallio"].pk
    assert _ids(client.get(URL, {"q": "kirjasto", "district": district})) == {here}
    topic = dreams["topic"].pk
    assert _ids(client.get(URL, {"q": "kirjasto", "topic": topic})) == {here}
    year_ago = (timezone.localdate() - timedelta(days=300)).isoformat()
    assert _ids(client.get(URL, {"q": "kirjasto", "date_to": year_ago})) == {old}
    assert _ids(client.get(URL, {"q": "kirjasto", "date_from": year_ago})) == {
        here,
        there,
    }
    assert _ids(client.get(URL, {"q": "kirjasto", "kind": "comment"})) == set()
    assert _ids(client.get(URL, {"q": "kirjasto", "kind": "dream", "city": ""})) == {
        here,
        there,
        old,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"q": "kirjasto", "city": "atlantis"},
        {"q": "kirjasto", "district": "'; DROP TABLE"},
        {"q": "kirjasto", "topic": "999999"},
        {"q": "kirjasto", "kind": "secrets"},
        {"q": "kirjasto", "date_from": "yesterday"},
        {"q": "kirjasto", "date_from": "0001-01-01"},
        {"q": "kirjasto", "date_from": "2026-12-31", "date_to": "2026-01-01"},
        {"q": "kirjasto", "page": "abc"},
        {"q": "kirjasto", "page": "-3"},
        {"q": "kirjasto\x00", "page": "99999999999999999999"},
    ],
)
def test_malformed_filters_still_answer_with_a_page(client, dreams, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


def test_a_bad_filter_is_dropped_and_the_rest_still_apply(client, dreams):
    response = client.get(URL, {"q": "kirjasto", "city": "turku", "topic": "x"})
    assert _ids(response) == {dreams["there"].pk}


def test_an_empty_query_asks_for_words(client, dreams):
    response = client.get("/en/search/", {"q": "   "})
    assert response.status_code == 200
    assert "Write one or more words to search." in response.content.decode()
    assert response.context["result"].results == []


def test_a_10000_character_query_is_cut_and_answered(
    client, dreams, django_assert_max_num_queries
):
    client.get(URL, {"q": "kirjasto"})  # warm the page tree's caches
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"q": "kirjasto " * 1200})
    assert response.status_code == 200
    assert response.context["query_cut"]
    assert len(response.context["form"]["q"].value()) <= 200
    assert _ids(response) == {dreams["here"].pk, dreams["there"].pk, dreams["old"].pk}


def test_a_page_past_the_end_says_so(client, dreams):
    response = client.get("/en/search/", {"q": "kirjasto", "page": "7"})
    assert response.status_code == 200
    assert response.context["result"].results == []
    assert response.context["result"].total == 3
    assert "There are no more results" in response.content.decode()


def test_results_are_paged(client, city, settings):
    for number in range(23):
        DreamFactory(city=city, title=f"Kirjasto {number}", what_would_change="")
    call_command("rebuild_search_index", "--kind", "dream", verbosity=0)
    first = client.get(URL, {"q": "kirjasto"})
    assert len(first.context["result"].results) == 20
    assert first.context["next_query"] == "q=kirjasto&page=2"
    second = client.get(URL, {"q": "kirjasto", "page": "2"})
    assert len(second.context["result"].results) == 3
    assert not _ids(first) & _ids(second)


def test_searching_is_rate_limited_per_address(client, dreams, settings):
    settings.SEARCH_RATE_LIMIT = (2, 60)
    assert client.get(URL, {"q": "kirjasto"}).status_code == 200
    assert client.get(URL, {"q": "kirjasto"}).status_code == 200
    refused = client.get(URL, {"q": "kirjasto"})
    assert refused.status_code == 429
    assert refused.context["result"].results == []
    other = client.get(URL, {"q": "kirjasto"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_header_has_a_labelled_search_field_on_every_page(client, home_page):
    html = client.get("/en/").content.decode()
    assert 'action="/en/search/"' in html
    assert '<label for="site-search-q" class="visually-hidden">Search the site' in html


@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_the_page_works_in_every_language(client, dreams, prefix):
    response = client.get(f"{prefix}/search/", {"q": "kirjasto"})
    assert response.status_code == 200
    assert len(_ids(response)) == 3


def test_cities_unknown_to_the_index_find_nothing(client, dreams):
    CityFactory(slug="oulu", name_fi="Oulu")
    assert _ids(client.get(URL, {"q": "kirjasto", "city": "oulu"})) == set()
