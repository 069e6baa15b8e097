"""advice-stats: per city, language, topic and hour; medians and percentiles;
cells under five chats suppressed; never a message text; the same rows in the API,
every download and the catalog."""

import csv
import io
import json
from datetime import timedelta

import pyarrow.parquet as pq
import pytest
from django.core.cache import cache
from django.utils import timezone

from advice.models import Chat, ChatStatus
from opendata import advice_datasets, datasets
from opendata.advice_datasets import COLUMNS, K, percentile
from tests.advice.ops_factories import TopicFactory, advisor_make, chat_make

pytestmark = pytest.mark.django_db

NAMES = [name for name, *_ in COLUMNS]
SECRET = "Salainen viesti 040 1234567"


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()  # the figures are cached for a minute


def _at_hour(chats, hour: int) -> None:
    """Move the chats' questions to `hour` o'clock (Finnish time) yesterday."""
    for chat in chats:
        local = timezone.localtime(chat.created_at) - timedelta(days=1)
        start = local.replace(hour=hour, minute=5)
        shift = start - timezone.localtime(chat.created_at)
        Chat.objects.filter(pk=chat.pk).update(
            created_at=start,
            queued_at=chat.queued_at + shift,
            first_accepted_at=chat.first_accepted_at + shift
            if chat.first_accepted_at
            else None,
            closed_at=chat.closed_at + shift if chat.closed_at else None,
            answered_by_email_at=chat.answered_by_email_at + shift
            if chat.answered_by_email_at
            else None,
        )


@pytest.fixture
def cell(city):
    """Six chats in (helsinki, fi, permits, 10): waits 60…360 s, durations
    100…600 s, ratings 2–5 on four, one an offline question."""
    topic = TopicFactory(slug="permits")
    advisor = advisor_make(city=city, name="Neuvoja Nelli")
    chats = [
        chat_make(
            city=city,
            topic=topic,
            advisor=advisor,
            wait_s=60 * n,
            duration_s=100 * n,
            rating=[2, 3, 4, 5, None][n - 1],
            rating_comment=SECRET,
            texts=(SECRET,),
            email="salainen@example.org",
        )
        for n in range(1, 6)
    ]
    chats.append(
        chat_make(
            city=city,
            topic=topic,
            status=ChatStatus.OFFLINE,
            ended_days_ago=None,
            texts=(SECRET,),
            email="salainen@example.org",
        )
    )
    _at_hour(chats, 10)
    return chats


def _rows(client) -> list[dict]:
    response = client.get("/api/v1/advice-stats/")
    assert response.status_code == 200
    return response.json()


def test_the_figures_of_a_cell(client, cell):
    (row,) = _rows(client)
    assert row == {
        "city": "helsinki",
        "language": "fi",
        "topic": "permits",
        "hour": 10,
        "chats": 6,
        "suppressed": False,
        "wait_median_s": 180,
        "wait_p90_s": 276,  # 240 + (300 - 240) * 0.6
        "duration_median_s": 300,
        "offline_questions": 1,
        "ratings": 4,
        "rating_average": 3.5,
    }


def test_cells_under_five_chats_are_suppressed(client, city, other_city, cell):
    advisor = advisor_make(city=other_city)
    few = [chat_make(city=other_city, advisor=advisor) for _ in range(K - 1)]
    _at_hour(few, 10)
    anywhere = [chat_make(city=None, advisor=advisor, language="ru")]
    _at_hour(anywhere, 22)
    rows = {(r["city"], r["language"], r["topic"], r["hour"]): r for r in _rows(client)}
    assert set(rows) == {
        ("helsinki", "fi", "permits", 10),
        ("turku", "fi", "none", 10),
        ("any", "ru", "none", 22),
    }
    for key in (("turku", "fi", "none", 10), ("any", "ru", "none", 22)):
        hidden = rows[key]
        assert hidden["suppressed"] is True
        assert all(hidden[name] is None for name in advice_datasets.MEASURES)


def test_the_hour_splits_cells(client, city, cell):
    _at_hour(cell[:3], 9)
    rows = _rows(client)
    assert [(r["hour"], r["suppressed"]) for r in rows] == [(9, True), (10, True)]


def test_purged_transcripts_still_count(client, cell):
    from advice.services.retention import transcripts_purge

    Chat.objects.update(closed_at=timezone.now() - timedelta(days=200))
    before = {k: v for k, v in _rows(client)[0].items() if k != "duration_median_s"}
    assert transcripts_purge() == len(cell)
    cache.clear()
    after = {k: v for k, v in _rows(client)[0].items() if k != "duration_median_s"}
    assert after == before


def test_the_same_rows_in_every_download_and_never_a_text(client, cell):
    api = _rows(client)
    dataset = datasets.get("advice-stats")
    assert dataset.column_names == NAMES and list(api[0]) == NAMES
    outputs = [json.dumps(api).encode()]
    for fmt in ("csv", "jsonl", "parquet", "excel.csv"):
        response = client.get(f"/api/v1/exports/advice-stats.{fmt}")
        assert response.status_code == 200
        outputs.append(b"".join(response.streaming_content))
    csv_rows = list(csv.DictReader(io.StringIO(outputs[1].decode())))
    assert list(csv_rows[0]) == NAMES and csv_rows[0]["wait_p90_s"] == "276"
    assert json.loads(outputs[2].splitlines()[0]) == api[0]
    table = pq.read_table(io.BytesIO(outputs[3]))
    assert table.column_names == NAMES
    assert table.to_pylist()[0]["rating_average"] == 3.5
    outputs.append(client.get("/api/v1/catalog.jsonld").content)
    outputs.append(client.get("/api/v1/").content)
    blob = b"\n".join(outputs)
    for secret in ("Salainen", "salainen@example.org", "Nelli", "/dreams/new/"):
        assert secret.encode() not in blob


def test_listed_in_the_catalog_the_root_and_the_schema(client, cell):
    catalog = client.get("/api/v1/catalog.jsonld").json()
    assert "advice-stats" in {d["dct:identifier"] for d in catalog["dcat:dataset"]}
    root = client.get("/api/v1/").json()
    assert root["datasets"]["advice-stats"]["url"].endswith("/api/v1/advice-stats/")
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    row = schema["components"]["schemas"]["AdviceStatsRow"]
    assert set(row["properties"]) == set(NAMES)
    assert all(spec.get("description") for spec in row["properties"].values())
    assert "/api/v1/advice-stats/" in schema["paths"]


def test_computed_once_a_minute_with_a_fixed_number_of_queries(
    client, cell, monkeypatch, django_assert_max_num_queries
):
    calls = []
    compute = advice_datasets.advice_stats
    monkeypatch.setattr(
        advice_datasets, "advice_stats", lambda: calls.append(1) or compute()
    )
    with django_assert_max_num_queries(1):
        advice_datasets.cached_advice_stats()
    _rows(client)
    b"".join(client.get("/api/v1/exports/advice-stats.jsonl").streaming_content)
    assert calls == [1]


def test_an_empty_desk_has_no_rows(client, db):
    assert _rows(client) == []


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [([], 50, None), ([7], 90, 7), ([1, 2, 3, 4], 50, 2.5), ([1, 2, 3, 4, 5], 90, 4.6)],
)
def test_percentile(values, p, expected):
    assert (
        percentile(values, p) == pytest.approx(expected)
        if expected
        else (percentile(values, p) is None)
    )
