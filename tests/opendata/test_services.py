"""Planned services and the cities' responses as open data."""

import pytest

from accounts.models import Role
from accounts.services import role_grant
from participation.services import service_answer_publish
from tests.factories import UserFactory
from tests.opendata.test_api import api_rows, download
from tests.participation.factories import make_service


@pytest.fixture
def editor(city):
    user = UserFactory(display_name="Editori Eeva", email="eeva@example.org")
    role_grant(user=user, city=city, role=Role.EDITOR)
    return user


def test_published_services_open_drafts_never(client, city_page):
    live = make_service(city_page, title="Julkinen palvelu")
    make_service(city_page, title="Luonnospalvelu", publish=False)
    rows = api_rows(client, "services")
    assert [row["title"] for row in rows] == ["Julkinen palvelu"]
    row = rows[0]
    assert row["city"] == "helsinki"
    assert row["key"] == str(live.translation_key)
    assert row["language"] == "fi"
    assert "<script>" not in row["description"]
    assert api_rows(client, "services", city="turku") == []
    assert b"Luonnospalvelu" not in download(client, "services", "csv")


def test_unpublished_service_is_a_tombstone_for_sync(client, city_page):
    page = make_service(city_page, title="Poistuva palvelu")
    since = api_rows(client, "services")[0]["updated_at"]
    page.unpublish()
    page.save_revision()  # editors' further edits move updated_at
    assert api_rows(client, "services") == []
    stones = api_rows(client, "services", updated_since=since)
    assert [(row["id"], row["removed"]) for row in stones] == [(page.pk, True)]
    assert "title" not in stones[0]


def test_responses_after_the_answer_is_published(client, city_page, editor):
    page = make_service(city_page)
    assert api_rows(client, "responses") == []
    page.answer = "<p>Kuuntelimme: aukioloajat pitenevät.</p>"
    page.save_revision().publish()
    service_answer_publish(page=page, user=editor)
    rows = api_rows(client, "responses")
    assert len(rows) == 1
    assert rows[0]["answer"] == "Kuuntelimme: aukioloajat pitenevät."
    assert rows[0]["status"] == "answered"
    assert b"Eeva" not in download(client, "responses", "jsonl")


def test_services_query_count_is_fixed(
    client, city_page, django_assert_max_num_queries
):
    for i in range(5):
        make_service(city_page, title=f"Palvelu {i}")
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/services/")
    assert len(response.json()["results"]) == 5
