"""The demo site: every page in every language, idempotent loading, the app hooks.

The demo is loaded once for this module inside a transaction that is rolled back
at the end (loading it takes seconds); each test runs in its own savepoint.
"""

import re
import sys
import types
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from wagtail.models import (
    GroupPagePermission,
    Locale,
    Page,
    PageViewRestriction,
    Revision,
    Site,
)

from cms.models import CityPage, ContentPage, HomePage
from core.models import City, District, PopulationFigure, Topic

LANGUAGES = ["fi", "sv", "en"]
DEMO_PASSWORD = "palvelupaja-demo"

# Marked so that pytest-django sets the test database up; each test then runs in
# a savepoint inside the module's transaction.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", "--if-empty", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _pages():
    """Every live page, the apps' demo pages included."""
    return list(Page.objects.live().filter(depth__gte=2).select_related("locale"))


def _cms_pages():
    """The site's own pages (the apps may add pages in fewer languages)."""
    return [
        page
        for page in _pages()
        if page.specific_class in (HomePage, CityPage, ContentPage)
    ]


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "cities": City.objects.count(),
        "users": get_user_model().objects.count(),
        "locales": Locale.objects.count(),
        "sites": Site.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "restrictions": PageViewRestriction.objects.count(),
        "districts": District.objects.count(),
        "topics": Topic.objects.count(),
        "population_figures": PopulationFigure.objects.count(),
    }


def test_every_demo_page_answers_200_in_its_language(demo, client):
    # Home, two cities and four content pages, each in three languages.
    assert len(_cms_pages()) == 7 * 3
    for page in _pages():
        language = page.locale.language_code
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert f'<html lang="{language}">' in response.content.decode(), page.url
        prefix = "" if language == "fi" else f"/{language}"
        assert page.url.startswith(f"{prefix}/"), page.url


def test_every_page_has_all_three_languages(demo):
    keys: dict = {}
    for page in _cms_pages():
        keys.setdefault(page.translation_key, set()).add(page.locale.language_code)
    assert all(languages == set(LANGUAGES) for languages in keys.values())


def test_home_is_the_default_site_root_and_wagtails_welcome_is_gone(demo, client):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail")
    for prefix in ["", "/sv", "/en"]:
        assert client.get(f"{prefix}/").status_code == 200


@pytest.mark.parametrize(
    ("prefix", "names"),
    [
        ("", [("/helsinki/", "Helsinki"), ("/turku/", "Turku")]),
        ("/sv", [("/sv/helsingfors/", "Helsingfors"), ("/sv/abo/", "Åbo")]),
        ("/en", [("/en/helsinki/", "Helsinki"), ("/en/turku/", "Turku")]),
    ],
)
def test_home_lists_both_cities_in_each_language(demo, client, prefix, names):
    html = client.get(f"{prefix}/").content.decode()
    for url, name in names:
        assert f'<a href="{url}">{name}</a>' in html


def test_language_switcher_links_to_the_translations(demo, client):
    html = client.get("/sv/spelregler/").content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)[0]
    assert 'href="/pelisaannot/" hreflang="fi"' in switcher
    assert 'href="/sv/spelregler/" hreflang="sv"' in switcher
    assert 'href="/en/house-rules/" hreflang="en"' in switcher
    assert re.search(r'hreflang="sv" lang="sv" aria-current="true"', switcher)
    assert switcher.count("aria-current") == 1


def test_language_switcher_on_a_city_page(demo, client):
    html = client.get("/en/turku/").content.decode()
    assert 'href="/turku/" hreflang="fi"' in html
    assert 'href="/sv/abo/" hreflang="sv"' in html


@pytest.mark.parametrize("url", ["/", "/sv/helsingfors/", "/en/privacy-notice/"])
def test_pages_have_skip_link_and_landmarks(demo, client, url):
    html = client.get(url).content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label=' in html
    assert "<header" in html and "<footer" in html
    assert html.count("<h1") == 1


def test_footer_links_the_content_pages_in_the_active_language(demo, client):
    html = client.get("/sv/").content.decode()
    for url in [
        "/sv/dataskyddsbeskrivning/",
        "/sv/spelregler/",
        "/sv/tillganglighetsutlatande/",
        "/sv/oppna-data/",
    ]:
        assert f'href="{url}"' in html


def test_house_rules_are_numbered_and_open_data_has_the_faq(demo, client):
    html = client.get("/en/house-rules/").content.decode()
    rules = re.search(r"<ol>(.*?)</ol>", html, re.S)[1]
    assert rules.count("<li>") == 7
    assert "No hate speech" in rules  # house rule 2, which moderators cite

    html = client.get("/avoin-data/").content.decode()
    assert html.count("<details>") == 3
    assert "<summary>Onko datassa henkilötietoja?</summary>" in html
    assert "CC BY 4.0" in html and 'href="/api/v1/"' in html


def test_demo_users_log_in_with_the_shared_password(demo, client):
    for email in [
        "admin@palvelupaja.test",
        "editor@palvelupaja.test",
        "moderator@palvelupaja.test",
        "facilitator@palvelupaja.test",
        "handler@palvelupaja.test",
        "resident@palvelupaja.test",
        "resident2@palvelupaja.test",
    ]:
        assert client.login(email=email, password=DEMO_PASSWORD), email
        client.logout()
    assert get_user_model().objects.get(email="admin@palvelupaja.test").is_superuser


def test_demo_editor_edits_city_pages_in_the_admin_but_not_the_rest(demo, client):
    assert client.login(email="editor@palvelupaja.test", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    for page in CityPage.objects.all():  # editor in both cities, all languages
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    privacy = ContentPage.objects.get(slug="tietosuojaseloste")
    response = client.get(f"/admin/pages/{privacy.pk}/edit/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_loading_again_creates_nothing_and_calls_the_apps_in_order(demo, monkeypatch):
    calls = []

    def fake_app(name):
        def load(*, cities, city_pages, users, stdout):
            calls.append(name)
            assert set(cities) == {"helsinki", "turku"}
            assert {slug: set(pages) for slug, pages in city_pages.items()} == {
                "helsinki": set(LANGUAGES),
                "turku": set(LANGUAGES),
            }
            assert city_pages["turku"]["sv"].title == "Åbo"
            assert city_pages["turku"]["sv"].city == cities["turku"]
            assert set(users) == {
                "admin",
                "editor",
                "moderator",
                "facilitator",
                "feedback_handler",
                "advisor",
                "advisor2",
                "advice_supervisor",
                "resident",
                "resident2",
            }

        return types.SimpleNamespace(load=load)

    for app in [
        "opendata",
        "workshops",
        "participation",
        "ideas",
        "feedback",
        "advice",
        "search",
    ]:
        monkeypatch.setitem(sys.modules, f"{app}.demo", fake_app(app))

    before = _counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert "0 site objects created" in out.getvalue()
    assert calls == [
        "participation",
        "ideas",
        "workshops",
        "feedback",
        "advice",
        "opendata",
        "search",
    ]


def test_the_demo_is_searchable(demo, client):
    from search.models import SearchDocument

    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert {"service", "section", "dream", "feedback", "page"} <= kinds
    response = client.get("/search/", {"q": "kirjasto"})
    assert response.context["result"].total > 0


def test_if_empty_skips_a_loaded_site(demo):
    before = _counts()
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert _counts() == before


def test_demo_districts_and_topics_are_translated(demo):
    kallio = District.objects.get(city__slug="helsinki", slug="kallio")
    assert (kallio.name_fi, kallio.name_sv) == ("Kallio", "Berghäll")
    varissuo = District.objects.get(city__slug="turku", slug="varissuo")
    assert varissuo.name_sv == "Kråkkärret"
    assert not District.objects.filter(name_sv="")
    assert not Topic.objects.filter(name_sv="") and not Topic.objects.filter(name_en="")


@pytest.mark.parametrize("city", ["helsinki", "turku"])
def test_demo_population_figures_add_up(demo, city):
    figures = PopulationFigure.objects.filter(city__slug=city)
    assert {f.year for f in figures} == {2024}
    places = {f.district_id for f in figures}
    assert None in places and len(places) >= 3
    for place in places:
        rows = figures.filter(district_id=place)
        total = rows.get(dimension="total").count
        for dimension in ("age_band", "gender", "first_language"):
            groups = {f.group: f.count for f in rows.filter(dimension=dimension)}
            assert sum(groups.values()) == total, (place, dimension)
        assert set(
            rows.filter(dimension="first_language").values_list("group", flat=True)
        ) == {
            "fi",
            "sv",
            "other",
        }


@pytest.mark.parametrize(
    ("language", "district", "topic", "library"),
    [
        ("fi", "Keskusta", "Kirjastot", "Kirjaston uudet aukioloajat"),
        ("sv", "Centrum", "Bibliotek", "Bibliotekets nya öppettider"),
        ("en", "City centre", "Libraries", "New library opening hours"),
    ],
)
def test_city_page_filters_name_places_in_the_page_language(
    demo, client, language, district, topic, library
):
    page = CityPage.objects.get(city__slug="helsinki", locale__language_code=language)
    html = client.get(page.url).content.decode()
    assert f">{district}</option>" in html and f">{topic}</option>" in html
    centre = District.objects.get(city__slug="helsinki", slug="keskusta")
    url = f"{page.url}?district={centre.pk}&topic=kirjastot"
    assert library in client.get(url).content.decode()
    url = f"{page.url}?district={centre.pk}&topic=nuoret"
    assert library not in client.get(url).content.decode()


def test_open_data_page_links_every_download_at_this_sites_address(demo, client):
    from django.conf import settings

    for path in ("/avoin-data/", "/sv/oppna-data/", "/en/open-data/"):
        html = client.get(path).content.decode()
        assert "example.fi" not in html
        assert settings.SITE_URL.rstrip("/") + "/api/v1/exports/comments.csv" in html
        for dataset in ("services", "comments", "dreams", "cards"):
            for fmt in ("csv", "excel.csv", "jsonl", "parquet"):
                assert f'href="/api/v1/exports/{dataset}.{fmt}"' in html


def test_open_data_page_links_the_api_docs_in_its_language(demo, client):
    for path, docs in (
        ("/avoin-data/", "/api/v1/docs/"),
        ("/sv/oppna-data/", "/sv/api/v1/docs/"),
        ("/en/open-data/", "/en/api/v1/docs/"),
    ):
        assert f'href="{docs}"' in client.get(path).content.decode()
        assert client.get(docs).status_code == 200
