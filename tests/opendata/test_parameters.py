"""No request parameter, however malformed, makes the open data API answer 500.

A table of malformed values × every list endpoint: each is refused with 400 and a
JSON body naming the parameter, on SQLite and on PostgreSQL (whose integer and
timestamp ranges are narrower than Python's). Well-formed values still filter.
"""

import pytest

from opendata import datasets
from tests.opendata.test_api import comment

LISTS = sorted(datasets.listed())
# Times that parse but cannot be stored: converting them to UTC leaves the years
# 1–9999 (Python's datetime range), or they fall outside the database's.
TIMES = [
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "not-a-time",
    "2026-13-40T25:61:00Z",
]
TIME_PARAMETERS = ["updated_since", "created_after", "created_before"]
TOO_BIG = "1" * 22
# Parameters that name a row of another dataset, and what each list refuses.
MALFORMED = [
    ("services", "key", "foo"),
    ("services", "key", TOO_BIG),
    ("sections", "key", "foo"),
    ("responses", "key", "foo"),
    ("sections", "service", "abc"),
    ("sections", "service", TOO_BIG),
    ("sections", "service", "-1"),
    ("sections", "service", "1.5"),
    ("cards", "workshop", "abc"),
    ("cards", "workshop", TOO_BIG),
    ("cards", "workshop", "²"),
    ("comments", "section", TOO_BIG),
    ("comments", "section", "²"),
    ("comments", "section", "foo"),
    *[(name, "city", "a\x00b") for name in LISTS],
    *[(name, "page_size", size) for name in LISTS for size in ("abc", "0", "-5")],
]


def assert_refused(response, parameter):
    assert response.status_code == 400, (parameter, response.content)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert parameter in body, body
    assert all(isinstance(message, str) and message for message in body[parameter])


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("parameter", TIME_PARAMETERS)
@pytest.mark.parametrize("value", TIMES)
def test_times_out_of_range_are_400_on_every_list(client, db, name, parameter, value):
    response = client.get(f"/api/v1/{name}/", {parameter: value})
    assert_refused(response, parameter)


@pytest.mark.parametrize(("name", "parameter", "value"), MALFORMED)
def test_malformed_identifiers_are_400(client, db, name, parameter, value):
    response = client.get(f"/api/v1/{name}/", {parameter: value})
    assert_refused(response, parameter)


def test_every_list_filter_is_typed(client, db):
    """Any filter a dataset declares on an id or key column refuses a value of the
    wrong type: the type comes from the column, not from each declaration."""
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for name in LISTS:
        operation = schema["paths"][f"/api/v1/{name}/"]["get"]
        for parameter in operation["parameters"]:
            kind = parameter["schema"]
            if kind.get("format") == "uuid" or kind.get("type") == "integer":
                response = client.get(f"/api/v1/{name}/", {parameter["name"]: "x"})
                assert_refused(response, parameter["name"])


def test_well_formed_values_still_filter(client, setup):
    service, discussion, user, _ = setup
    comment(discussion, user)
    key = str(service.translation_key)
    rows = client.get("/api/v1/services/", {"key": key}).json()["results"]
    assert {row["key"] for row in rows} == {key}
    assert client.get("/api/v1/services/", {"key": f" {key.upper()} "}).json()[
        "results"
    ]
    none = "00000000-0000-0000-0000-000000000000"
    assert client.get("/api/v1/services/", {"key": none}).json()["results"] == []
    assert client.get("/api/v1/cards/", {"workshop": "99999"}).json()["results"] == []
    since = client.get("/api/v1/comments/", {"updated_since": "2000-01-01T00:00:00Z"})
    assert len(since.json()["results"]) == 1
    edge = client.get("/api/v1/comments/", {"created_after": "0001-01-02T00:00:00Z"})
    assert len(edge.json()["results"]) == 1


def _cursor(position: str) -> str:
    import base64
    from urllib.parse import urlencode

    return base64.b64encode(urlencode({"p": position}).encode()).decode()


@pytest.mark.parametrize(
    ("params", "position"),
    [
        ({}, "0001-01-01T00:00:00+01:00"),
        ({}, "9999-12-31T23:59:59-01:00"),
        ({"updated_since": "2000-01-01T00:00:00Z"}, "9999-12-31T23:59:59-01:00|1|0"),
        (
            {"updated_since": "2000-01-01T00:00:00Z"},
            f"2026-01-01T00:00:00Z|{TOO_BIG}|0",
        ),
        ({"updated_since": "2000-01-01T00:00:00Z"}, "2026-01-01T00:00:00Z|1|7"),
    ],
)
def test_forged_cursors_are_400(client, db, params, position):
    for name in LISTS:
        response = client.get(
            f"/api/v1/{name}/", {**params, "cursor": _cursor(position)}
        )
        assert response.status_code == 400, (name, response.content)
        assert response.json()["detail"]


def test_the_error_is_in_the_readers_language(client, db):
    params = {"updated_since": "9999-12-31T23:59:59-01:00"}
    answers = {
        lang: client.get("/api/v1/comments/", params, HTTP_ACCEPT_LANGUAGE=lang)
        for lang in ("fi", "sv", "en")
    }
    assert {lang: a["Content-Language"] for lang, a in answers.items()} == {
        "fi": "fi",
        "sv": "sv",
        "en": "en",
    }
    assert "UTC" in answers["en"].json()["updated_since"][0]
    assert "vuosien 1 ja" in answers["fi"].json()["updated_since"][0]
    assert "åren 1 och" in answers["sv"].json()["updated_since"][0]
