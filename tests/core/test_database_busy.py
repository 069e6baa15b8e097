"""No database connection within the pool timeout: 503 with Retry-After, never 500.

The timeout is forced two ways: on either backend by making the connection's
open raise psycopg_pool's PoolTimeout (Django wraps it, as it would the pool's),
and on PostgreSQL for real, by holding every connection of a one-connection pool.
"""

import threading

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from psycopg_pool import PoolTimeout

from core.middleware import is_pool_timeout

# The URLconf of the middleware case: a view that touches no database.
urlpatterns = [path("plain", lambda request: HttpResponse("plain"))]
handler500 = "core.views.server_error"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the connection pool is PostgreSQL's"
)


@pytest.fixture
def pool_exhausted(monkeypatch):
    """Every new database connection waits in vain for the pool."""

    def no_connection(self, conn_params):
        raise PoolTimeout("couldn't get a connection after 10.00 sec")

    connection.close()  # the next query must ask for a new connection
    monkeypatch.setattr(
        type(connections["default"]), "get_new_connection", no_connection
    )


def _get(path: str, **headers):
    """A request from a thread of its own, holding no connection yet (as in
    daphne, where every request runs in its own thread)."""
    answer = {}

    def run():
        client = Client(raise_request_exception=False)
        try:
            answer["response"] = client.get(path, **headers)
        finally:
            # The test client keeps the connection past the request: give it
            # back, or the pool could not let the test database be dropped.
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return answer["response"]


def test_recognises_the_pool_timeout_bare_and_wrapped_by_django():
    from django.db.utils import OperationalError

    assert is_pool_timeout(PoolTimeout("late"))
    # What Django's wrap_database_errors makes of it on PostgreSQL.
    try:
        try:
            raise PoolTimeout("late")
        except PoolTimeout as error:
            raise OperationalError(*error.args) from error
    except OperationalError as wrapped:
        assert is_pool_timeout(wrapped)
    assert not is_pool_timeout(OperationalError("server closed the connection"))
    assert not is_pool_timeout(ValueError("late"))
    assert not is_pool_timeout(None)


@pytest.mark.django_db(transaction=True)
def test_page_answers_503_with_a_friendly_page(pool_exhausted):
    response = _get("/en/dreams/?q=kirjasto")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "The service is busy right now" in body
    assert "Palvelussa on juuri nyt ruuhkaa" in body
    assert "Traceback" not in body


@pytest.mark.django_db(transaction=True)
def test_api_answers_503_in_json(pool_exhausted):
    response = _get("/api/v1/dreams/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "database_busy"


@pytest.mark.django_db(transaction=True)
def test_timeout_in_a_middleware_is_a_503_too(pool_exhausted, settings):
    """Outside a view (here, the session saved on the way out of a view that
    used no database) the error handler answers: DEBUG off, as in production."""
    settings.DEBUG = False
    settings.SESSION_SAVE_EVERY_REQUEST = True
    settings.ROOT_URLCONF = __name__
    response = _get("/plain", HTTP_COOKIE="sessionid=" + "a" * 32)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


@pytest.mark.django_db(transaction=True)
def test_other_database_errors_stay_500(monkeypatch, settings):
    from django.db.utils import OperationalError

    def broken(self, conn_params):
        raise OperationalError("server closed the connection unexpectedly")

    settings.DEBUG = False
    connection.close()
    monkeypatch.setattr(type(connections["default"]), "get_new_connection", broken)
    response = _get("/en/dreams/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@postgresql_only
def test_django_wraps_the_pool_timeout_we_recognise():
    from django.db.utils import OperationalError

    with pytest.raises(OperationalError) as raised:
        with connection.wrap_database_errors:
            raise PoolTimeout("late")
    assert is_pool_timeout(raised.value)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_real_pool_timeout_on_postgresql(monkeypatch):
    """Every connection of the process's pool is lent out: the next request waits
    the pool's timeout, then answers 503, and the pool serves again once one is
    given back."""
    connection.close()
    pool = connection.pool
    assert pool is not None
    monkeypatch.setattr(pool, "timeout", 0.3)
    held = [pool.getconn() for _ in range(pool.max_size)]
    try:
        response = _get("/en/dreams/?q=kirjasto")
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
    finally:
        for conn in held:
            pool.putconn(conn)
    assert _get("/en/dreams/?q=kirjasto").status_code == 200
