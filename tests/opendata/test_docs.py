"""The API's human pages: the documentation read out of the schema, and the
browsable API, both in the site's layout under its CSP."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_docs_list_every_operation_of_the_schema(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fi">' in html
    for path in schema["paths"]:
        assert f"GET {path}</code>" in html
    # The schema's own English texts are marked as English on a Finnish page.
    assert 'lang="en"' in html
    assert "Content-Security-Policy" in response.headers
    assert "<script" not in html


def test_browsable_api_is_a_page_of_the_site(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    # Addresses without a language prefix are Finnish, as everywhere on the site.
    assert '<html lang="fi">' in html
    assert "Content-Security-Policy" in response.headers
    # No inline styles (the CSP blocks them) and no nameless buttons.
    assert not re.search(r"\sstyle=", html)
    for button in re.findall(r"<button[^>]*>(.*?)</button>", html, re.S):
        assert button.strip()
    assert 'href="/api/v1/docs/"' in html


HTML_LANG = re.compile(r'<html lang="(\w+)">')
SWITCHER = re.compile(r'<nav class="language-switcher".*?</nav>', re.S)
OPERATION = re.compile(r"<code>(GET [^<]+)</code>")


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/api/v1/docs/", "fi", "Avoimen datan rajapinnan dokumentaatio"),
        ("/sv/api/v1/docs/", "sv", "Dokumentation för gränssnittet för öppna data"),
        ("/en/api/v1/docs/", "en", "Open data API documentation"),
    ],
)
def test_docs_in_each_language_with_the_same_operations(
    client, path, language, heading
):
    html = client.get(path).content.decode()
    assert HTML_LANG.search(html).group(1) == language
    assert f"<h1>{heading}</h1>" in html
    finnish = client.get("/api/v1/docs/").content.decode()
    assert OPERATION.findall(html) == OPERATION.findall(finnish)
    # The switcher leads to this page in each language, marking this one.
    switcher = SWITCHER.search(html).group(0)
    for code, prefix in (("fi", ""), ("sv", "/sv"), ("en", "/en")):
        link = re.search(rf'<a href="([^"]+)" hreflang="{code}"[^>]*>', switcher)
        assert link.group(1) == f"{prefix}/api/v1/docs/"
        assert ('aria-current="true"' in link.group(0)) == (code == language)


def test_api_root_names_the_docs_at_one_address_whatever_the_language(client):
    client.cookies["django_language"] = "sv"
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.json()["docs"] == "http://testserver/api/v1/docs/"


def test_browsable_api_in_the_language_the_switcher_sets(client):
    page = client.get("/api/v1/comments/", HTTP_ACCEPT="text/html").content.decode()
    assert HTML_LANG.search(page).group(1) == "fi"
    # The API's addresses have no language prefix: the switcher's buttons set the
    # language cookie and come back to the same address, query included.
    switcher = SWITCHER.search(page).group(0)
    assert 'action="/i18n/setlang/"' in switcher
    assert 'name="next" value="/api/v1/comments/"' in switcher
    for code in ("fi", "sv", "en"):
        assert f'name="language" value="{code}"' in switcher
    response = client.post(
        "/i18n/setlang/", {"language": "sv", "next": "/api/v1/comments/?page_size=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/comments/?page_size=2"
    page = client.get(response["Location"], HTTP_ACCEPT="text/html").content.decode()
    assert HTML_LANG.search(page).group(1) == "sv"
    assert "<h1>Kommentarer om planerade tjänster</h1>" in page
    assert 'href="/sv/api/v1/docs/">Dokumentation för gränssnittet</a>' in page
    assert 'value="sv" lang="sv" aria-current="true"' in page


def test_json_errors_keep_their_shape_in_every_language(client):
    bodies = {}
    for code in ("fi", "sv", "en"):
        client.cookies["django_language"] = code
        response = client.get("/api/v1/comments/", {"page_size": "x"})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        bodies[code] = response.json()
    assert len({frozenset(body) for body in bodies.values()}) == 1


@pytest.mark.parametrize("path", ["/api/v1/docs/swagger/", "/api/v1/redoc/"])
def test_third_party_api_pages_say_they_are_in_english(client, path):
    # Swagger UI's and Redoc's own words cannot be translated: the page says so.
    html = client.get(path).content.decode()
    assert '<html lang="en">' in html
