"""Page templates on a minimal tree: the language switcher, the city list, queries."""

import re

import pytest
from wagtail.models import Locale

from cms.models import CityPage
from tests.factories import CityFactory


def _switcher(html: str) -> str:
    return re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)[0]


@pytest.fixture
def swedish_home(home_page):
    swedish = home_page.copy_for_translation(Locale.objects.get(language_code="sv"))
    swedish.title = "Palvelupaja på svenska"
    swedish.save_revision().publish()
    return swedish


@pytest.mark.django_db
def test_untranslated_page_switches_to_that_languages_home(
    client, city_page, swedish_home
):
    switcher = _switcher(client.get(city_page.url).content.decode())
    assert 'href="/helsinki/" hreflang="fi"' in switcher
    assert 'href="/sv/" hreflang="sv"' in switcher  # no Swedish city page yet


@pytest.mark.django_db
def test_a_draft_translation_is_not_linked(client, city_page, swedish_home):
    draft = city_page.copy_for_translation(Locale.objects.get(language_code="sv"))
    assert not draft.live
    switcher = _switcher(client.get(city_page.url).content.decode())
    assert 'href="/sv/" hreflang="sv"' in switcher


@pytest.mark.django_db
def test_switcher_outside_wagtail_keeps_the_path(client, home_page):
    html = client.get("/en/accounts/login/").content.decode()
    switcher = _switcher(html)
    assert 'href="/accounts/login/" hreflang="fi"' in switcher
    assert 'href="/sv/accounts/login/" hreflang="sv"' in switcher
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_home_lists_cities_with_a_fixed_number_of_queries(
    client, home_page, city_page, django_assert_max_num_queries
):
    client.get("/")  # warm the site root cache
    with django_assert_max_num_queries(30) as captured:
        response = client.get("/")
    one_city = len(captured)  # now: the next request clears the query log
    assert '<a href="/helsinki/">Helsinki</a>' in response.content.decode()

    for slug in ["turku", "tampere", "oulu"]:
        other = CityFactory(slug=slug, name_fi=slug.title())
        home_page.add_child(
            instance=CityPage(title=other.name_fi, slug=slug, city=other)
        )
    client.get("/")
    with django_assert_max_num_queries(one_city):
        html = client.get("/").content.decode()
    assert all(f'href="/{slug}/"' in html for slug in ["turku", "tampere", "oulu"])


@pytest.mark.django_db
def test_nothing_open_renders_no_empty_open_now_section(client, city_page):
    html = client.get("/").content.decode()
    assert "open-now__section" not in html
    html = client.get(city_page.url).content.decode()
    assert "open-now__section" not in html


@pytest.mark.django_db
def test_city_page_shows_intro_and_body(client, home_page, other_city):
    page = home_page.add_child(
        instance=CityPage(
            title="Turku",
            slug="turku",
            city=other_city,
            intro="<p>Tervetuloa Turkuun</p>",
            body=[{"type": "heading", "value": "Miten voin osallistua?"}],
        )
    )
    html = client.get(page.url).content.decode()
    assert "<p>Tervetuloa Turkuun</p>" in html
    assert "<h2>Miten voin osallistua?</h2>" in html
