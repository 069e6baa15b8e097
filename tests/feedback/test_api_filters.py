"""The feedback API's `requests` filters, order and pages, and every malformed
parameter answered with a 400 Open311 error (never a 500)."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from core.cursors import cursor_encode
from feedback.models import FeedbackItem, Status
from tests.feedback.api_helpers import error_check, get_json, get_xml, schema_check
from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory

pytestmark = pytest.mark.django_db

FAR_EAST = datetime.timezone(datetime.timedelta(hours=14))
NOW = timezone.now().replace(microsecond=0)


def at(days: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def ids(data) -> list[int]:
    return [int(row["service_request_id"]) for row in data]


@pytest.fixture
def items(service):
    """Four items: in Helsinki's centre, 600 m away, in Turku, and no place."""
    other = FeedbackServiceFactory(city=service.city, service_code="streets")
    return {
        "centre": FeedbackItemFactory(
            service=service,
            lat=60.1699,
            long=24.9384,
            place_confirmed=True,
            requested_at=at(1),
            status=Status.RECEIVED,
        ),
        "near": FeedbackItemFactory(
            service=other,
            lat=60.1753,
            long=24.9384,
            place_confirmed=True,
            requested_at=at(2),
            status=Status.DONE,
        ),
        "turku": FeedbackItemFactory(
            service=other,
            lat=60.4518,
            long=22.2666,
            place_confirmed=True,
            requested_at=at(10),
            status=Status.HANDLING,
        ),
        "nowhere": FeedbackItemFactory(
            service=service, requested_at=at(30), status=Status.DONE
        ),
    }


def names(items, data) -> list[str]:
    by_id = {item.pk: name for name, item in items.items()}
    return [by_id[pk] for pk in ids(data)]


def test_newest_first_by_requested_datetime(client, items):
    _response, data = get_json(client, "requests")
    assert names(items, data) == ["centre", "near", "turku", "nowhere"]
    _response, data = get_json(client, "requests", {"order_by": "requested_datetime"})
    assert names(items, data) == ["nowhere", "turku", "near", "centre"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"service_code": "streets"}, ["near", "turku"]),
        (
            {"service_code": "hel-library,streets"},
            ["centre", "near", "turku", "nowhere"],
        ),
        ({"service_code": "nothing"}, []),
        ({"status": "open"}, ["centre", "turku"]),
        ({"status": "closed"}, ["near", "nowhere"]),
        ({"status": "open,closed"}, ["centre", "near", "turku", "nowhere"]),
        # 600 m from the centre: the near one is in 1 km, not in 500 m.
        ({"lat": "60.1699", "long": "24.9384", "radius": "1000"}, ["centre", "near"]),
        ({"lat": "60.1699", "long": "24.9384", "radius": "500"}, ["centre"]),
        ({"lat": "60.1699", "long": "24.9384"}, ["centre", "near"]),
        ({"lat": "60.45", "long": "22.27", "radius": "50000"}, ["turku"]),
        ({"bbox": "24.9,60.1,25.0,60.2"}, ["centre", "near"]),
        ({"bbox": "22,60,23,61"}, ["turku"]),
        ({"bbox": "24.9,60.1,25.0,60.2", "status": "closed"}, ["near"]),
    ],
)
def test_filters(client, items, params, expected):
    _response, data = get_json(client, "requests", params)
    schema_check(data, "ServiceRequests")
    assert names(items, data) == expected


def test_ids_and_dates(client, items):
    wanted = f"{items['turku'].pk},{items['centre'].pk},999999"
    _response, data = get_json(client, "requests", {"service_request_id": wanted})
    assert names(items, data) == ["centre", "turku"]
    day = timezone.localtime(at(2)).date().isoformat()
    _response, data = get_json(client, "requests", {"start_date": day})
    assert names(items, data) == ["centre", "near"]
    _response, data = get_json(client, "requests", {"end_date": day})
    assert names(items, data) == ["near", "turku", "nowhere"]
    moment = at(10).isoformat()
    _response, data = get_json(client, "requests", {"end_date": moment})
    assert names(items, data) == ["turku", "nowhere"]
    zulu = at(2.5).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _response, data = get_json(client, "requests", {"start_date": zulu})
    assert names(items, data) == ["centre", "near"]


def test_updated_after_and_before(client, items):
    FeedbackItem.objects.filter(pk=items["turku"].pk).update(updated_at=at(5))
    FeedbackItem.objects.exclude(pk=items["turku"].pk).update(updated_at=at(1))
    _response, data = get_json(
        client, "requests", {"updated_before": at(3).isoformat()}
    )
    assert names(items, data) == ["turku"]
    _response, data = get_json(client, "requests", {"updated_after": at(3).isoformat()})
    assert names(items, data) == ["centre", "near", "nowhere"]
    _response, data = get_json(
        client, "requests", {"order_by": "-updated_datetime", "page_size": "1"}
    )
    assert len(data) == 1


def test_service_object_filter(client, service):
    wanted = FeedbackItemFactory(service=service, service_object_id="tpr:1")
    FeedbackItemFactory(service=service, service_object_id="tpr:2")
    _response, data = get_json(client, "requests", {"service_object_id": "tpr:1"})
    assert ids(data) == [wanted.pk]


def test_keyset_pages_follow_the_link_header(client, service):
    made = [FeedbackItemFactory(service=service, requested_at=at(n)) for n in range(5)]
    # Two on the same second: the id breaks the tie.
    made.append(FeedbackItemFactory(service=service, requested_at=at(2)))
    expected = [
        item.pk
        for item in sorted(made, key=lambda i: (i.requested_at, i.pk), reverse=True)
    ]
    seen, params = [], {"page_size": "2", "status": "open"}
    for _page in range(4):
        response, data = get_json(client, "requests", params)
        seen += ids(data)
        if "Link" not in response:
            break
        url = response["X-Next-Page-URL"]
        assert response["Link"] == f'<{url}>; rel="next"'
        assert "status=open" in url
        params = dict(pair.split("=", 1) for pair in urlsplit(url).query.split("&"))
    assert seen == expected
    assert "X-Next-Page-URL" not in response


def test_page_size_default_and_cap(client, service):
    FeedbackItemFactory.create_batch(3, service=service)
    _response, data = get_json(client, "requests", {"page_size": "100000"})
    assert len(data) == 3
    response, data = get_json(client, "requests", {"page_size": "2"})
    assert len(data) == 2
    assert "cursor=" in response["Link"]


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"start_date": "2026-02-30"},
        {"end_date": "2026-13-01"},
        {"updated_after": "0000-01-01"},
        {"updated_before": "9999-12-31T23:59:59-14:00"},
        {"updated_after": "2026-01-01T25:00:00"},
        {"start_date": "x" * 100},
        {"lat": "60.17"},
        {"long": "24.93"},
        {"radius": "100"},
        {"lat": "91", "long": "24.93", "radius": "100"},
        {"lat": "60.17", "long": "-181", "radius": "100"},
        {"lat": "nan", "long": "24.93"},
        {"lat": "60.17", "long": "inf"},
        {"lat": "60.17", "long": "24.93", "radius": "0"},
        {"lat": "60.17", "long": "24.93", "radius": "-5"},
        {"lat": "60.17", "long": "24.93", "radius": "1e308"},
        {"lat": "60.17", "long": "24.93", "radius": "far"},
        {"bbox": "1,2,3"},
        {"bbox": "25,60,24,61"},
        {"bbox": "a,b,c,d"},
        {"bbox": "24,60,25,91"},
        {"service_request_id": "1" * 22},
        {"service_request_id": "abc"},
        {"service_request_id": "1,,2"},
        {"service_code": "<script>"},
        {"service_code": ",".join(["x"] * 101)},
        {"status": "pending"},
        {"order_by": "description"},
        {"order_by": "-pk"},
        {"page_size": "0"},
        {"page_size": "-1"},
        {"page_size": "ten"},
        {"extensions": "maybe"},
        {"cursor": "not-a-cursor"},
        {"cursor": "WzEsMl0"},
        # A well-formed cursor whose time the database cannot hold.
        {"cursor": cursor_encode(datetime.datetime(1, 1, 1, tzinfo=FAR_EAST), 1)},
        {"service_object_id": "tpr\x00:1"},
        {"service_code": "hel-library\x00"},
    ],
)
def test_malformed_parameters_are_400(client, items, params):
    _response, data = get_json(client, "requests", params, status=400)
    description = error_check(data, 400)
    assert description
    _response, root = get_xml(client, "requests", params, status=400)
    assert root.find("error/code").text == "400"


def test_locale_changes_names_not_errors(client, items):
    _response, data = get_json(client, "requests", {"locale": "sv"})
    assert data[0]["service_name"] == items["centre"].service.name_sv
    _response, data = get_json(client, "requests", {"locale": "de"})
    assert data[0]["service_name"] == items["centre"].service.name_en


def test_jurisdiction_id_is_a_city(client, items, other_city):
    turku_service = FeedbackServiceFactory(city=other_city, service_code="turku-parks")
    in_turku = FeedbackItemFactory(service=turku_service)
    _response, data = get_json(client, "requests", {"jurisdiction_id": "turku"})
    assert ids(data) == [in_turku.pk]
    _response, data = get_json(client, "requests", {"jurisdiction_id": "helsinki"})
    assert in_turku.pk not in ids(data)
    assert len(data) == 4
    _response, data = get_json(client, "services", {"jurisdiction_id": "turku"})
    assert [s["service_code"] for s in data] == ["turku-parks"]
    for value in ("nowhere", "<x>", "a" * 100):
        _response, data = get_json(
            client, "requests", {"jurisdiction_id": value}, status=404
        )
        error_check(data, 404)
        _response, data = get_json(
            client, "services", {"jurisdiction_id": value}, status=404
        )
        error_check(data, 404)
