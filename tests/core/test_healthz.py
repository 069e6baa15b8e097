import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_and_layer_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "channel_layer": "ok"}


@pytest.mark.django_db
def test_city_page_renders_in_base_layout(client, city_page):
    response = client.get(city_page.url)
    assert response.status_code == 200
    assert b'href="#main"' in response.content


class _BrokenConnection:
    """Stands in for the database connection when the database is down."""

    def cursor(self):
        raise ConnectionError("database is down")


@pytest.fixture
def database_down(monkeypatch):
    monkeypatch.setattr("core.views.connection", _BrokenConnection())


@pytest.fixture
def layer_down(monkeypatch):
    from channels.layers import get_channel_layer

    layer = get_channel_layer()

    async def send(channel, message):
        raise ConnectionError("channel layer is down")

    monkeypatch.setattr(layer, "send", send)


@pytest.mark.django_db
def test_healthz_503_names_the_database_when_it_fails(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["database"]
    assert body["checks"] == {"database": "fail", "channel_layer": "ok"}


@pytest.mark.django_db
def test_healthz_503_names_the_channel_layer_when_it_fails(client, layer_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["channel_layer"]
    assert response.json()["checks"] == {"database": "ok", "channel_layer": "fail"}


@pytest.mark.django_db
def test_healthz_503_names_both_when_both_fail(client, database_down, layer_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database", "channel_layer"]
    assert response["Cache-Control"].startswith("max-age=0")
