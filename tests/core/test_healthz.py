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
