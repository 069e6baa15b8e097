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


def test_sections_of_published_services(client, city_page):
    live = make_service(city_page, title="Julkinen palvelu")
    make_service(city_page, title="Luonnos", publish=False)
    rows = api_rows(client, "sections")
    assert sorted(row["title"] for row in rows) == ["Aukioloajat", "Mikä muuttuu"]
    first = next(row for row in rows if row["title"] == "Mikä muuttuu")
    section = live.sections.get(title="Mikä muuttuu")
    assert first == {
        "id": section.pk,
        "city": "helsinki",
        "service": live.pk,
        "key": str(section.key),
        "position": section.sort_order,
        "title": "Mikä muuttuu",
        "body": "Paljon",
        "question": "Mitä mieltä?",
        "language": "fi",
        "created_at": first["created_at"],
        "updated_at": first["updated_at"],
    }
    assert api_rows(client, "sections", service=live.pk + 1000) == []
    assert len(api_rows(client, "sections", service=live.pk)) == 2
    assert client.get("/api/v1/sections/", {"service": "x"}).status_code == 400
    assert b"Luonnos" not in download(client, "sections", "csv")


def test_translations_share_section_keys(client, city_page):
    from wagtail.models import Locale

    page = make_service(city_page)
    swedish, _ = Locale.objects.get_or_create(language_code="sv")
    translation = page.copy_for_translation(swedish, copy_parents=True)
    translation.save_revision().publish()
    rows = api_rows(client, "sections")
    by_language = {(row["language"], row["title"]): row for row in rows}
    assert len(rows) == 4
    for title in ("Mikä muuttuu", "Aukioloajat"):
        fi, sv = by_language[("fi", title)], by_language[("sv", title)]
        assert fi["key"] == sv["key"] and fi["id"] != sv["id"]


def test_comments_filter_by_section_key_or_id(client, setup):
    from participation.services import service_discussions_sync
    from tests.opendata.test_api import comment

    service, discussion, user, _ = setup
    first, second = service.sections.all()
    threads = service_discussions_sync(page=service)
    on_first = comment(threads[str(first.key)], user, "ensimmäiseen")
    comment(threads[str(second.key)], user, "toiseen")
    comment(discussion, user, "koko palveluun")
    by_key = api_rows(client, "comments", section=str(first.key))
    by_id = api_rows(client, "comments", section=first.pk)
    assert (
        [row["id"] for row in by_key] == [row["id"] for row in by_id] == [on_first.pk]
    )
    assert by_key[0]["target_type"] == "section"
    assert by_key[0]["target"] == str(first.key)
    # Neither an id nor a key: refused, as a malformed `key` is everywhere.
    refused = client.get("/api/v1/comments/", {"section": "not-a-key"})
    assert refused.status_code == 400
    assert refused.json()["section"]
    assert api_rows(client, "comments", section=999999) == []


def test_comments_of_unpublished_services_never_leak(client, setup):
    from tests.opendata.test_api import comment

    service, discussion, user, _ = setup
    comment(discussion, user, "näkyvä teksti")
    assert len(api_rows(client, "comments")) == 1
    service.unpublish()
    assert api_rows(client, "comments") == []
    assert b"n\xc3\xa4kyv\xc3\xa4" not in download(client, "comments", "csv")


def test_sections_query_count_is_fixed(
    client, city_page, django_assert_max_num_queries
):
    for i in range(6):
        make_service(city_page, title=f"Palvelu {i}")
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/sections/", {"page_size": 1000})
    assert len(response.json()["results"]) == 12
    with django_assert_max_num_queries(4):
        response = client.get(
            "/api/v1/sections/", {"updated_since": "2000-01-01T00:00:00Z"}
        )
    assert len(response.json()["results"]) == 12
