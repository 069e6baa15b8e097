"""Posting feedback through the API: the key, the fields, photos, and every bad
input refused with an Open311 error and nothing written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.apikeys import FEEDBACK_WRITE, OPERATOR, api_key_issue, api_key_revoke
from feedback.models import Channel, FeedbackItem, FeedbackPhoto, Visibility
from tests.feedback.api_helpers import (
    BASE,
    error_check,
    get_json,
    png_bytes,
    schema_check,
)

pytestmark = pytest.mark.django_db

URL = BASE + "requests.json"


@pytest.fixture
def key(db):
    return api_key_issue(
        user=OPERATOR, name="city app", owner="City", scopes=[FEEDBACK_WRITE]
    )[1]


def form(key, **fields):
    return {
        "api_key": key,
        "service_code": "hel-library",
        "description": "The library's door does not open for wheelchairs.",
        **fields,
    }


def post(client, data, *, status: int, fmt: str = "json"):
    response = client.post(BASE + f"requests.{fmt}", data)
    assert response.status_code == status, response.content
    return response


def assert_nothing_written(media_root) -> None:
    assert not FeedbackItem.objects.exists()
    assert not FeedbackPhoto.objects.exists()
    assert not list(media_root.rglob("*.*")) if media_root.exists() else True


def test_post_creates_public_feedback(client, service, key):
    response = post(
        client,
        form(
            key,
            title="Door",
            lat="60.1699123",
            long="24.9384123",
            address_string="Kirjastokatu 1",
            email="sender@example.org",
            first_name="Maija",
            phone="0401234567",
            locale="en",
        ),
        status=201,
    )
    data = response.json()
    schema_check(data, "PostedRequests")
    item = FeedbackItem.objects.get()
    assert data[0]["service_request_id"] == str(item.pk)
    assert item.channel == Channel.API
    assert item.language == "en"
    assert (item.public_lat, item.public_long) == (60.17, 24.938)
    assert item.email == "sender@example.org"
    listed, rows = get_json(client, "requests")
    assert [r["service_request_id"] for r in rows] == [str(item.pk)]
    for private in ("sender@example.org", "Maija", "0401234567", "Kirjastokatu"):
        assert private not in listed.content.decode()


def test_post_in_xml_derives_a_title_and_guesses_the_language(client, service, key):
    from defusedxml import ElementTree as SafeET

    text = "Kirjaston ovi ei aukea pyörätuolilla, ja hissi on ollut rikki jo viikon."
    response = post(client, form(key, description=text), status=201, fmt="xml")
    root = SafeET.fromstring(response.content)
    assert root.tag == "service_requests"
    item = FeedbackItem.objects.get()
    assert root.find("request/service_request_id").text == str(item.pk)
    assert item.title == text
    assert item.language == "fi"
    assert item.kind == "fault_report"


def test_a_photo_waits_for_its_check(client, service, key):
    photo = SimpleUploadedFile("door.png", png_bytes(), content_type="image/png")
    post(client, form(key, media=photo), status=201)
    stored = FeedbackPhoto.objects.get()
    assert not stored.approved
    _response, rows = get_json(client, "requests", {"extensions": "true"})
    assert rows[0]["media_url"] == ""
    assert rows[0]["extended_attributes"]["media_urls"] == []
    stored.approved = True
    stored.save()
    _response, rows = get_json(client, "requests", {"extensions": "true"})
    (url,) = rows[0]["extended_attributes"]["media_urls"]
    assert rows[0]["media_url"] == url
    assert client.get(url).status_code == 200


def test_text_with_an_identity_code_is_held(client, service, key):
    response = post(
        client,
        form(key, description="Minun hetuni on 131052-308T, soittakaa."),
        status=201,
    )
    assert "once the city has checked" in response.json()[0]["service_notice"]
    assert FeedbackItem.objects.get().visibility == Visibility.PENDING
    _response, rows = get_json(client, "requests")
    assert rows == []


def test_a_missing_wrong_revoked_or_unscoped_key_is_403(client, service, media_root):
    issued, revoked_key = api_key_issue(
        user=OPERATOR, name="old app", owner="City", scopes=[FEEDBACK_WRITE]
    )
    api_key_revoke(user=OPERATOR, api_key=issued)
    read_only = api_key_issue(user=OPERATOR, name="reader", owner="City")[1]
    for key in ("", "wrong", "wrong.key" * 50, "nul\x00.key", revoked_key, read_only):
        response = post(client, form(key), status=403)
        error_check(response.json(), 403)
    response = post(client, form(revoked_key), status=403, fmt="xml")
    assert b"<errors><error><code>403</code>" in response.content
    assert_nothing_written(media_root)


def _svg() -> SimpleUploadedFile:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )
    return SimpleUploadedFile("door.svg", svg, content_type="image/svg+xml")


@pytest.mark.parametrize(
    ("fields", "status", "word"),
    [
        ({"service_code": "no-such"}, 404, "service"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "hel-library\x00"}, 404, "service"),
        ({"description": "\x00" * 20}, 400, "description"),
        ({"description": ""}, 400, "description"),
        ({"description": "short"}, 400, "description"),
        ({"lat": "60.17"}, 400, "lat"),
        ({"long": "24.93"}, 400, "lat"),
        ({"lat": "91", "long": "24.93"}, 400, "lat"),
        ({"lat": "60.17", "long": "nan"}, 400, "lat"),
        ({"email": "not an address"}, 400, "email"),
        ({"kind": "rant"}, 400, "kind"),
        ({"title": "x" * 500}, 400, "title"),
        (
            {
                "media": lambda: SimpleUploadedFile(
                    "big.jpg", b"\xff" * (10 * 1024 * 1024)
                )
            },
            400,
            "media",
        ),
        (
            {
                "media": lambda: SimpleUploadedFile(
                    "door.jpg", b"just text, not a photo"
                )
            },
            400,
            "media",
        ),
        ({"media[]": _svg}, 400, "media"),
        ({"service_object_id": "tpr:1"}, 400, "service_object_type"),
        ({"service_object_id": "x" * 101, "service_object_type": "t"}, 400, "100"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(
    client, service, key, media_root, fields, status, word
):
    fields = {
        name: value() if callable(value) else value for name, value in fields.items()
    }
    response = post(client, form(key, **fields), status=status)
    description = error_check(response.json(), status)
    assert word in description
    assert_nothing_written(media_root)


def test_an_inactive_service_takes_no_feedback(client, service, key, media_root):
    service.is_active = False
    service.save()
    response = post(client, form(key), status=400)
    error_check(response.json(), 400)
    assert_nothing_written(media_root)


def test_the_key_limit_an_hour(client, service, key, settings):
    settings.FEEDBACK_API_POSTS_PER_KEY_PER_HOUR = 1
    post(client, form(key), status=201)
    response = post(client, form(key), status=429)
    error_check(response.json(), 429)
    assert FeedbackItem.objects.count() == 1


def test_other_methods_are_refused(client):
    response = client.put(URL, json.dumps({}), content_type="application/json")
    assert response.status_code == 405
    error_check(response.json(), 405)
    response = client.post(BASE + "services.json")
    assert response.status_code == 405


def test_the_object_it_is_about(client, service, key):
    post(
        client,
        form(
            key,
            service_object_id="tpr:123",
            service_object_type="https://www.hel.fi/palvelukarttaws/rest/v4/unit/",
        ),
        status=201,
    )
    _response, rows = get_json(
        client, "requests", {"extensions": "true", "service_object_id": "tpr:123"}
    )
    assert rows[0]["extended_attributes"]["service_object_type"].startswith("https:")


def test_a_body_django_cannot_read_is_400(client, settings):
    response = client.generic(
        "POST", URL, b"garbage--", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    error_check(response.json(), 400)
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.generic(
        "POST", URL, b"a=1&" * 20, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    error_check(response.json(), 400)
