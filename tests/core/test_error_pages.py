"""Error pages as a visitor sees them (DEBUG off): friendly, in the language of
the address, with the site's security headers, never Django's technical page."""

import threading

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client, override_settings

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home_page")]

HEADINGS_404 = {
    "fi": "Sivua ei löytynyt",
    "sv": "Sidan hittades inte",
    "en": "Page not found",
}


def _prefix(language: str) -> str:
    return "" if language == "fi" else f"/{language}"


def _assert_friendly(response, status: int, language: str, heading: str):
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert "Traceback" not in html
    assert "URLconf" not in html
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("path", ["/no-such-page/", "/accounts/", "/dreams/999999/"])
def test_an_unknown_address_is_the_friendly_404_in_its_language(client, language, path):
    response = client.get(_prefix(language) + path)
    _assert_friendly(response, 404, language, HEADINGS_404[language])
    html = response.content.decode()
    assert 'class="site-header"' in html  # the site's own layout
    assert 'class="site-footer"' in html


@override_settings(DEBUG=False)
def test_the_address_decides_the_language_not_the_browser_or_cookie(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="sv")
    _assert_friendly(response, 404, "fi", HEADINGS_404["fi"])
    response = client.get("/en/no-such-page/", HTTP_ACCEPT_LANGUAGE="sv")
    _assert_friendly(response, 404, "en", HEADINGS_404["en"])


@override_settings(DEBUG=False)
def test_a_page_for_another_role_is_the_friendly_403(client, city):
    client.force_login(UserFactory())
    response = client.get("/sv/workshops/")
    _assert_friendly(response, 403, "sv", "Ingen åtkomst till sidan")
    assert 'class="site-header"' in response.content.decode()
    facilitator = UserFactory()
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    client.force_login(facilitator)
    assert client.get("/sv/workshops/").status_code == 200


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/accounts/login/", "fi", "Lomaketta ei voitu lähettää"),
        ("/sv/accounts/login/", "sv", "Formuläret kunde inte skickas"),
        ("/en/accounts/login/", "en", "The form could not be sent"),
    ],
)
def test_a_form_without_its_csrf_token_is_the_friendly_403(path, language, heading):
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"username": "a@example.fi", "password": "x"})
    _assert_friendly(response, 403, language, heading)


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/", "fi", "Pyyntöä ei voitu käsitellä"),
        ("/sv/", "sv", "Begäran kunde inte behandlas"),
        ("/en/", "en", "The request could not be handled"),
    ],
)
def test_a_refused_host_is_the_self_contained_400(client, path, language, heading):
    response = client.get(path, HTTP_HOST="attacker.example")
    _assert_friendly(response, 400, language, heading)
    html = response.content.decode()
    assert f'href="{_prefix(language)}/"' in html  # home in the same language
    assert "/static/css/site.css" in html


@pytest.fixture
def database_down(monkeypatch):
    """Every new database connection fails, as when the database has gone."""

    def refuse(self, conn_params):
        raise OperationalError("connection refused")

    connection.close()
    monkeypatch.setattr(type(connections["default"]), "get_new_connection", refuse)


def _get_in_own_thread(path: str):
    """A request holding no connection yet, as each request in daphne."""
    answer = {}

    def run():
        try:
            answer["response"] = Client(raise_request_exception=False).get(path)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return answer["response"]


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/", "fi", "Jokin meni vikaan meidän päässämme"),
        ("/sv/", "sv", "Något gick fel hos oss"),
        ("/en/", "en", "Something went wrong on our side"),
    ],
)
def test_with_the_database_gone_the_500_page_still_renders(
    database_down, path, language, heading
):
    response = _get_in_own_thread(path)
    _assert_friendly(response, 500, language, heading)
    assert response.headers["Cache-Control"] == "no-store"


@override_settings(DEBUG=True)
def test_development_keeps_django_s_technical_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert HEADINGS_404["fi"] not in response.content.decode()


@override_settings(DEBUG=False)
def test_api_addresses_answer_errors_in_json(client):
    response = client.get("/api/v1/no-such-dataset/")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}
    response = client.get("/api/v1/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@override_settings(DEBUG=False)
def test_with_the_database_gone_the_api_answers_500_in_json(database_down):
    response = _get_in_own_thread("/api/v1/dreams/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Something went wrong on our side.",
        "code": "server_error",
    }
