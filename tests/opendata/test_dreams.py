"""Dreams as open data: topics as a list (joined with ';' in CSV), the topic
filter, and a fixed number of queries whatever the number of dreams."""

import csv
import io

import pyarrow.parquet as pq

from tests.factories import UserFactory
from tests.opendata.conftest import make_dream
from tests.opendata.test_api import api_rows, download


def test_topics_in_every_format(client, city, db):
    dream = make_dream(city, UserFactory())
    row = api_rows(client, "dreams")[0]
    assert row["topics"] == ["kulttuuri", "liikkuminen"]
    body = download(client, "dreams", "csv").decode()
    assert next(csv.DictReader(io.StringIO(body)))["topics"] == "kulttuuri;liikkuminen"
    table = pq.read_table(io.BytesIO(download(client, "dreams", "parquet")))
    assert table.column("topics").to_pylist() == [["kulttuuri", "liikkuminen"]]
    dream.topics.clear()
    assert api_rows(client, "dreams")[0]["topics"] == []


def test_topic_filter(client, city, db):
    from core.models import Topic

    tagged = make_dream(city, UserFactory())
    other = make_dream(city, UserFactory())
    other.topics.set([Topic.objects.create(slug="terveys", name_fi="Terveys")])
    assert [r["id"] for r in api_rows(client, "dreams", topic="kulttuuri")] == [
        tagged.pk
    ]
    assert [r["id"] for r in api_rows(client, "dreams", topic="terveys")] == [other.pk]
    assert api_rows(client, "dreams", topic="ei-ole") == []


def test_dreams_query_count_is_fixed(client, city, django_assert_max_num_queries):
    for _ in range(25):
        make_dream(city, UserFactory())
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/dreams/", {"page_size": 1000})
    rows = response.json()["results"]
    assert len(rows) == 25
    assert all(row["topics"] == ["kulttuuri", "liikkuminen"] for row in rows)


def test_district_in_finnish_with_its_slug_and_filter(client, city, db):
    from core.models import District

    kallio = District.objects.create(
        city=city, slug="kallio", name_fi="Kallio", name_sv="Berghäll"
    )
    placed = make_dream(city, UserFactory())
    placed.district = kallio
    placed.save()
    other = make_dream(city, UserFactory())
    rows = {r["id"]: r for r in api_rows(client, "dreams")}
    assert (rows[placed.pk]["district"], rows[placed.pk]["district_slug"]) == (
        "Kallio",
        "kallio",
    )
    assert (rows[other.pk]["district"], rows[other.pk]["district_slug"]) == ("", "")
    assert [r["id"] for r in api_rows(client, "dreams", district="kallio")] == [
        placed.pk
    ]
