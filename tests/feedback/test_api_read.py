"""The feedback API's reading side: discovery, services, requests and one request,
in both formats, checked against the API's OpenAPI schema."""

import datetime

import pytest
from django.utils import timezone

from feedback.models import Status, Visibility
from feedback.photos import photo_name
from tests.feedback.api_helpers import (
    BASE,
    error_check,
    get_json,
    get_xml,
    photo_add,
    schema_check,
)
from tests.feedback.factories import (
    AgencyFactory,
    FeedbackItemFactory,
    FeedbackServiceFactory,
    FeedbackStatusChangeFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def item(service):
    """A public, answered item with a confirmed place, contact details, a redacted
    text, an approved and an unapproved photo, a public and an internal note."""
    agency = AgencyFactory(city=service.city, name_en="Library services")
    item = FeedbackItemFactory(
        service=service,
        agency=agency,
        title="Original title with Matti's phone",
        description="Original: call Matti 040 123 4567",
        public_title="The library door",
        public_description="The door does not open for wheelchairs.",
        is_redacted=True,
        lat=60.1699123,
        long=24.9384123,
        place_confirmed=True,
        address="Kirjastokatu 1",
        email="sender@example.org",
        first_name="Matti",
        last_name="Meikäläinen",
        phone="0401234567",
        status=Status.DONE,
        answer="Fixed on Monday.",
        requested_at=days_ago(3),
        service_object_id="tpr:123",
        service_object_type="https://www.hel.fi/palvelukarttaws/rest/v4/unit/",
    )
    FeedbackStatusChangeFactory(
        item=item, note="Sent to the library.", created_at=days_ago(2)
    )
    FeedbackStatusChangeFactory(
        item=item, note="Secret internal note", internal=True, created_at=days_ago(1)
    )
    item.approved_photo = photo_add(item, approved=True, name="approved.png")
    item.unchecked_photo = photo_add(item, approved=False, name="unchecked.png")
    return item


@pytest.fixture
def hidden(service):
    """Items that must never appear: private, pending, withdrawn."""
    return [
        FeedbackItemFactory(service=service, visibility=Visibility.PRIVATE),
        FeedbackItemFactory(service=service, visibility=Visibility.PENDING),
        FeedbackItemFactory(service=service, withdrawn_at=NOW),
    ]


PRIVATE_WORDS = (
    "Original",
    "Matti",
    "sender@example.org",
    "040",
    "Secret internal",
    "Secret",
)


def assert_nothing_private(content: bytes) -> None:
    text = content.decode()
    for word in PRIVATE_WORDS:
        assert word not in text, word


def test_discovery_in_both_formats(client):
    response, data = get_json(client, "discovery")
    schema_check(data, "Discovery")
    assert data["endpoints"][0]["url"] == "http://testserver/api/georeport/v2"
    assert data["openapi"].endswith("/openapi.json")
    _response, root = get_xml(client, "discovery")
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format").text == "application/json"


def test_services_list_translated_and_active_only(client, service):
    service.keywords = "kirjasto, ovi"
    service.save()
    FeedbackServiceFactory(city=service.city, service_code="closed", is_active=False)
    _response, data = get_json(client, "services")
    schema_check(data, "Services")
    assert [s["service_code"] for s in data] == ["hel-library"]
    assert data[0]["service_name"] == service.name_en
    assert data[0]["keywords"] == ["kirjasto", "ovi"]
    _response, data = get_json(client, "services", {"locale": "sv"})
    assert data[0]["service_name"] == service.name_sv
    assert data[0]["group"] == "Kultur och fritid"
    _response, root = get_xml(client, "services", {"locale": "fi_FI"})
    assert root.tag == "services"
    assert root.find("service/service_name").text == service.name_fi
    assert root.find("service/keywords").text == "kirjasto,ovi"
    assert root.find("service/metadata").text == "false"


def test_one_service_and_an_unknown_code(client, service):
    _response, data = get_json(client, "services/hel-library")
    schema_check(data, "Services")
    assert len(data) == 1
    _response, data = get_json(client, "services/no-such", status=404)
    assert "no-such" in error_check(data, 404)
    _response, data = get_json(client, "services/a%00b", status=404)
    error_check(data, 404)
    _response, root = get_xml(client, "services/no-such", status=404)
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"


def test_requests_show_public_text_only(client, item, hidden):
    response, data = get_json(client, "requests", {"extensions": "true"})
    schema_check(data, "ServiceRequests")
    assert [r["service_request_id"] for r in data] == [str(item.pk)]
    (row,) = data
    assert row["description"] == "The door does not open for wheelchairs."
    assert row["status"] == "closed"
    assert row["status_notes"] == "Fixed on Monday."
    assert row["agency_responsible"] == "Library services"
    assert row["address"] == "Kirjastokatu 1"
    assert (row["lat"], row["long"]) == (item.public_lat, item.public_long)
    assert row["requested_datetime"] == timezone.localtime(days_ago(3)).isoformat()
    extended = row["extended_attributes"]
    assert extended["title"] == "The library door"
    assert extended["kind"] == item.kind
    assert extended["service_object_id"] == "tpr:123"
    assert [s["note"] for s in extended["request_history"]] == ["Sent to the library."]
    assert_nothing_private(response.content)
    (url,) = extended["media_urls"]
    assert row["media_url"] == url
    assert photo_name(item.approved_photo) in url
    assert photo_name(item.unchecked_photo) not in response.content.decode()
    _response, root = get_xml(client, "requests", {"extensions": "true"})
    assert root.tag == "service_requests"
    assert len(root.findall("request")) == 1
    assert root.find("request/extended_attributes/title").text == "The library door"
    entry = root.find("request/extended_attributes/request_history/entry")
    assert entry.find("note").text == "Sent to the library."
    assert_nothing_private(_response.content)


def test_unconfirmed_place_is_coarse_and_without_address(client, service):
    item = FeedbackItemFactory(
        service=service, lat=60.1699123, long=24.9384123, address="Kotikatu 5 A 3"
    )
    response, data = get_json(client, "requests")
    assert data[0]["address"] == ""
    assert (data[0]["lat"], data[0]["long"]) == (60.17, 24.938)
    assert "Kotikatu" not in response.content.decode()
    assert item.public_lat == 60.17


def test_status_notes_fall_back_to_the_last_public_note(client, service):
    item = FeedbackItemFactory(service=service, status=Status.HANDLING)
    FeedbackStatusChangeFactory(item=item, note="First", created_at=days_ago(2))
    FeedbackStatusChangeFactory(item=item, note="Latest", created_at=days_ago(1))
    FeedbackStatusChangeFactory(item=item, note="Internal", internal=True)
    _response, data = get_json(client, "requests")
    assert data[0]["status_notes"] == "Latest"
    assert data[0]["status"] == "open"
    assert "extended_attributes" not in data[0]


def test_one_request(client, item, hidden):
    _response, data = get_json(client, f"requests/{item.pk}")
    schema_check(data, "ServiceRequests")
    assert [r["service_request_id"] for r in data] == [str(item.pk)]
    _response, root = get_xml(client, f"requests/{item.pk}", {"extensions": "true"})
    assert root.find("request/service_request_id").text == str(item.pk)
    for other in hidden:
        _response, data = get_json(client, f"requests/{other.pk}", status=404)
        error_check(data, 404)


@pytest.mark.parametrize("pk", ["1" * 22, "abc", "-1", "١٢", "%00"])
def test_an_id_that_cannot_be_one_is_not_found(client, pk):
    _response, data = get_json(client, f"requests/{pk}", status=404)
    error_check(data, 404)


def test_unknown_paths_answer_open311_errors(client):
    _response, data = get_json(client, "nothing", status=404)
    error_check(data, 404)
    response = client.get(BASE + "requests.csv")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_a_list_runs_a_fixed_number_of_queries(
    client, service, django_assert_num_queries
):
    for _n in range(3):
        item = FeedbackItemFactory(service=service)
        FeedbackStatusChangeFactory(item=item)
        photo_add(item, approved=True)
    # items, photos, history
    with django_assert_num_queries(3):
        _response, data = get_json(client, "requests", {"extensions": "true"})
    assert len(data) == 3
    FeedbackItemFactory.create_batch(3, service=service)
    with django_assert_num_queries(3):
        _response, data = get_json(client, "requests", {"extensions": "true"})
    assert len(data) == 6


def test_cors_and_rate_headers(client, settings):
    settings.FEEDBACK_API_ANON_PER_MINUTE = 2
    response, _data = get_json(client, "services")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-RateLimit-Limit"] == "2"
    get_json(client, "services")
    response, data = get_json(client, "services", status=429)
    error_check(data, 429)
    assert "Retry-After" in response
    preflight = client.options(BASE + "requests.json")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"


def test_a_wrong_key_in_a_header_is_refused(client):
    _response, data = get_json(
        client, "services", status=403, HTTP_X_API_KEY="wrong.key"
    )
    error_check(data, 403)


def test_the_openapi_document(client):
    response = client.get(BASE + "openapi.json")
    assert response.status_code == 200
    data = response.json()
    assert data["openapi"].startswith("3.1")
    assert "/requests.{format}" in data["paths"]
    assert data["servers"][0]["url"] == "http://testserver/api/georeport/v2"


def test_one_request_runs_a_fixed_number_of_queries(
    client, item, django_assert_num_queries
):
    with django_assert_num_queries(3):
        get_json(client, f"requests/{item.pk}", {"extensions": "true"})


def test_head_answers_like_get_without_a_body(client, item):
    response = client.head(BASE + "requests.json")
    assert response.status_code == 200
    assert response.content == b""


def test_the_api_docs_page_links_the_schema(client):
    response = client.get("/en/api/v1/docs/")
    assert response.status_code == 200
    assert BASE + "openapi.json" in response.content.decode()
    assert "Palauterajapinta" in client.get("/api/v1/docs/").content.decode()
    assert "Responsgränssnittet" in client.get("/sv/api/v1/docs/").content.decode()


def _wrapped_lists(node):
    if isinstance(node, dict):
        if node.get("xml", {}).get("wrapped"):
            yield node["xml"]["name"], node["items"]["xml"]["name"]
        for value in node.values():
            yield from _wrapped_lists(value)
    elif isinstance(node, list):
        for value in node:
            yield from _wrapped_lists(value)


def test_the_documented_xml_names_are_the_ones_sent():
    from feedback.api.openapi import SCHEMAS
    from feedback.api.serialize import ITEM_TAGS

    found = dict(_wrapped_lists(SCHEMAS))
    assert len(found) == 7
    for root, item in found.items():
        assert ITEM_TAGS[root] == item


def test_xml_holds_any_text(client, service):
    FeedbackItemFactory(
        service=service,
        public_title="<b>Ovi</b> & ikkuna 🚪",
        public_description="Rivi\x0bkaksi ]]> <script>alert(1)</script> \u202e",
    )
    _response, root = get_xml(client, "requests", {"extensions": "true"})
    assert (
        root.find("request/extended_attributes/title").text == "<b>Ovi</b> & ikkuna 🚪"
    )
    assert root.find("request/description").text.startswith("Rivikaksi ]]> <script>")


def test_a_duplicate_names_the_request_it_is_handled_with(client, service):
    kept = FeedbackItemFactory(service=service)
    duplicate = FeedbackItemFactory(service=service, merged_into=kept)
    private = FeedbackItemFactory(service=service, visibility=Visibility.PRIVATE)
    hidden_target = FeedbackItemFactory(service=service, merged_into=private)
    _response, data = get_json(client, "requests")
    notices = {int(r["service_request_id"]): r["service_notice"] for r in data}
    assert str(kept.pk) in notices[duplicate.pk]
    assert notices[kept.pk] == ""
    assert notices[hidden_target.pk] == ""
    assert private.pk not in notices
