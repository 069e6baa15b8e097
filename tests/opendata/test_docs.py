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
