"""The open data API and downloads: same columns everywhere, no personal data,
tombstones for mirrors, formula neutralising, throttling, fixed query counts."""

import csv
import io
import json

import pyarrow.parquet as pq
from django.core.cache import cache
from django.test import override_settings

from core.actors import Actor
from discussions.models import Comment
from discussions.services import comment_create, comment_edit, comment_hide
from opendata import datasets
from opendata.pseudonyms import REMOVED, pseudonym
from tests.factories import UserFactory
from tests.opendata.conftest import (
    make_advice,
    make_dream,
    make_feedback,
    make_panel,
    publish_workshop,
)

NAME = "Ainomaija Tunnistettava"
EMAIL = "aino.tunnistettava@example.org"
IP = "203.0.113.77"


def comment(discussion, user, text="Hyvä <script>alert(1)</script> idea"):
    cache.clear()  # the write rate limit is not what these tests are about
    return comment_create(
        discussion=discussion, participant=Actor(user=user, ip=IP), text=text
    )


def api_rows(client, name, **params):
    rows, url = [], f"/api/v1/{name}/"
    while url:
        response = client.get(url, params if url.endswith("/") else None)
        assert response.status_code == 200, response.content
        body = response.json()
        if isinstance(body, list):  # participation-stats: computed whole, no pages
            return body
        rows += body["results"]
        url = body["next"]
    return rows


def download(client, name, fmt):
    response = client.get(f"/api/v1/exports/{name}.{fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def publish_answer(service, city):
    from accounts.models import Role
    from accounts.services import role_grant
    from participation.services import service_answer_publish

    editor = UserFactory(display_name="Editori Eeva", email="eeva@example.org")
    role_grant(user=editor, city=city, role=Role.EDITOR)
    service.answer = "<p>=Kuuntelimme</p>"
    service.save_revision().publish()
    service_answer_publish(page=service, user=editor)


def test_columns_identical_across_api_csv_jsonl_parquet(client, setup, city):
    service, discussion, user, _ = setup
    comment(discussion, user)
    publish_answer(service, city)
    publish_workshop(city)
    make_dream(city, user)
    make_feedback(city)
    make_panel(city)
    make_advice(city)
    for name, dataset in datasets.REGISTRY.items():
        expected = dataset.column_names
        api = api_rows(client, name)
        assert api and list(api[0]) == expected
        header = next(csv.reader(io.StringIO(download(client, name, "csv").decode())))
        assert header == expected
        first = json.loads(download(client, name, "jsonl").splitlines()[0])
        assert list(first) == expected
        assert first == api[0]
        table = pq.read_table(io.BytesIO(download(client, name, "parquet")))
        assert table.column_names == expected


def test_no_personal_data_in_any_output(client, setup, city):
    service, discussion, user, moderator = setup
    publish_answer(service, city)
    publish_workshop(city)
    make_dream(city, user)
    make_feedback(city)
    make_panel(city)
    make_advice(city)
    c = comment(discussion, user)
    comment_hide(
        comment=comment(discussion, user, "piilotettava"),
        moderator=moderator,
        reason="x",
    )
    # Hard-deleted rows become tombstones: their text must not come with them.
    removed = comment(discussion, user, "poistettu salaisuus")
    Comment.objects.get(pk=removed.pk).delete()
    outputs = [
        client.get("/api/v1/").content,
        client.get("/api/v1/catalog.jsonld").content,
    ]
    for name in datasets.REGISTRY:
        cache.clear()  # the read limit is not what this test is about
        outputs.append(client.get(f"/api/v1/{name}/").content)
        outputs.append(
            client.get(
                f"/api/v1/{name}/", {"updated_since": "2000-01-01T00:00:00Z"}
            ).content
        )
        outputs.append(client.get(f"/api/v1/{name}/", {"city": "<x>"}).content)
        outputs.append(client.get(f"/api/v1/{name}/", {"updated_since": "bad"}).content)
        for fmt in ("csv", "jsonl"):
            outputs.append(download(client, name, fmt))
        parquet = pq.read_table(io.BytesIO(download(client, name, "parquet")))
        outputs.append(json.dumps(parquet.to_pylist(), default=str).encode())
    blob = b"\n".join(outputs)
    secrets = (
        *(NAME, EMAIL, IP, "Moderaattori", "mm@example.org", "piilotettava"),
        *("Hakija Heikki", "heikki@example.org"),
        "poistettu salaisuus",
    )
    others = ("Editori", "eeva@example.org", "Alice", "Fanni", "fanni@example.org")
    advice = ("Salainen", "asukas.advice@example.org", "Neuvoja Nelli", "salainen-sivu")
    for secret in (*secrets, *others, *advice):
        assert secret.encode() not in blob
    assert f'"author":"{pseudonym(user_id=user.pk)}"'.encode() in blob.replace(
        b" ", b""
    )
    assert f'"author":{c.author_id}'.encode() not in blob.replace(b" ", b"")
    compact = blob.replace(b" ", b"")
    assert f'{{"id":{removed.pk},"removed":true,'.encode() in compact


def test_pseudonym_stable_and_removed_after_deletion(client, setup):
    service, discussion, user, _ = setup
    comment(discussion, user, "yksi")
    comment(discussion, user, "kaksi")
    rows = api_rows(client, "comments")
    authors = {row["author"] for row in rows}
    assert authors == {pseudonym(user_id=user.pk)}
    assert len(authors.pop()) == 16
    anonymous = pseudonym(anonymous_key="00000000-0000-0000-0000-000000000001")
    assert anonymous != pseudonym(user_id=user.pk)
    user_id = user.pk
    user.delete()
    assert {row["author"] for row in api_rows(client, "comments")} == {REMOVED}
    keyed = pseudonym(user_id=user_id)
    with override_settings(PSEUDONYM_KEY="another key"):
        assert pseudonym(user_id=user_id) != keyed


def test_created_at_rounded_to_hour_in_every_format(client, setup):
    from datetime import UTC, datetime

    service, discussion, user, _ = setup
    made = comment(discussion, user)
    Comment.objects.filter(pk=made.pk).update(
        created_at=datetime(2026, 3, 1, 12, 34, 56, 789000, tzinfo=UTC)
    )
    assert api_rows(client, "comments")[0]["created_at"] == "2026-03-01T12:00:00Z"
    body = download(client, "comments", "csv").decode()
    assert next(csv.DictReader(io.StringIO(body)))["created_at"] == (
        "2026-03-01T12:00:00Z"
    )
    line = json.loads(download(client, "comments", "jsonl").splitlines()[0])
    assert line["created_at"] == "2026-03-01T12:00:00Z"
    table = pq.read_table(io.BytesIO(download(client, "comments", "parquet")))
    assert table.column("created_at")[0].as_py() == datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_incremental_sync_mirror_equals_live(client, setup):
    service, discussion, user, moderator = setup
    first = [comment(discussion, user, f"kommentti {i}") for i in range(5)]
    mirror = {row["id"]: row for row in api_rows(client, "comments", page_size=2)}
    assert len(mirror) == 5
    since = max(row["updated_at"] for row in mirror.values())

    comment_edit(comment=first[0], participant=Actor(user=user), text="muokattu")
    comment_hide(comment=first[1], moderator=moderator, reason="asiaton")
    comment(discussion, user, "uusi")
    changes = api_rows(client, "comments", updated_since=since, page_size=2)
    for row in changes:
        if row.get("removed"):
            assert set(row) == {"id", "removed", "updated_at"}
            mirror.pop(row["id"], None)
        else:
            mirror[row["id"]] = row
    live = {row["id"]: row for row in api_rows(client, "comments")}
    assert mirror == live
    assert first[1].pk not in live
    assert live[first[0].pk]["text"] == "muokattu"


def test_hidden_never_without_updated_since(client, setup):
    service, discussion, user, moderator = setup
    hidden = comment(discussion, user, "salainen teksti")
    comment_hide(comment=hidden, moderator=moderator, reason="x")
    assert api_rows(client, "comments") == []
    assert b"salainen" not in download(client, "comments", "csv")
    tombstones = api_rows(client, "comments", updated_since="2000-01-01T00:00:00Z")
    assert tombstones == [
        {
            "id": hidden.pk,
            "removed": True,
            "updated_at": tombstones[0]["updated_at"],
        }
    ]


def test_cursor_pagination_handles_equal_updated_at(client, setup):
    service, discussion, user, _ = setup
    made = [comment(discussion, user, f"k{i}") for i in range(7)]
    Comment.objects.update(updated_at=made[0].updated_at)
    rows = api_rows(client, "comments", page_size=2)
    assert sorted(row["id"] for row in rows) == sorted(c.pk for c in made)
    assert len(rows) == 7


def test_csv_formula_injection_neutralised(client, setup):
    service, discussion, user, _ = setup
    for text in ("=HYPERLINK(1)", "+1", "-1", "@SUM(1)"):
        comment(discussion, user, text)
    body = download(client, "comments", "csv").decode()
    texts = [row["text"] for row in csv.DictReader(io.StringIO(body))]
    assert sorted(texts) == sorted(["'=HYPERLINK(1)", "'+1", "'-1", "'@SUM(1)"])
    jsonl = download(client, "comments", "jsonl").decode()
    assert '"=HYPERLINK(1)"' in jsonl  # JSON Lines stays byte-faithful


def test_etag_and_not_modified(client, setup):
    service, discussion, user, _ = setup
    comment(discussion, user)
    response = client.get("/api/v1/exports/comments.csv")
    etag = response["ETag"]
    assert response["Last-Modified"]
    again = client.get("/api/v1/exports/comments.csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    since = client.get(
        "/api/v1/exports/comments.csv",
        HTTP_IF_MODIFIED_SINCE=response["Last-Modified"],
    )
    assert since.status_code == 304
    comment(discussion, user, "uusi")
    assert (
        client.get("/api/v1/exports/comments.csv", HTTP_IF_NONE_MATCH=etag).status_code
        == 200
    )


def test_unknown_export_is_404(client, db):
    assert client.get("/api/v1/exports/users.csv").status_code == 404
    assert client.get("/api/v1/exports/comments.xlsx").status_code == 404


@override_settings(OPENDATA_ANON_PER_MINUTE=3)
def test_throttling_with_headers(client, db):
    for remaining in (2, 1, 0):
        response = client.get("/api/v1/comments/")
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        assert response["X-RateLimit-Remaining"] == str(remaining)
    response = client.get("/api/v1/comments/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_list_query_count_is_fixed(client, setup, django_assert_max_num_queries):
    service, discussion, user, _ = setup
    for i in range(30):
        comment(discussion, UserFactory(), f"k{i}")
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/comments/", {"page_size": 1000})
    assert len(response.json()["results"]) == 30


def test_schema_describes_every_field(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert all(path.startswith("/api/") for path in schema["paths"])
    for name, dataset in datasets.REGISTRY.items():
        component = next(
            c
            for key, c in schema["components"]["schemas"].items()
            if key.endswith("Row") and set(dataset.column_names) <= set(c["properties"])
        )
        for field, spec in component["properties"].items():
            assert spec.get("description"), (name, field)
    assert client.get("/api/v1/docs/").status_code == 200


def test_catalog_is_dcat(client, setup):
    service, discussion, user, _ = setup
    comment(discussion, user)
    doc = client.get("/api/v1/catalog.jsonld").json()
    assert doc["@type"] == "dcat:Catalog"
    assert (
        {d["dct:identifier"] for d in doc["dcat:dataset"]}
        == set(datasets.REGISTRY)
        >= {"sections", "participation-stats"}
    )
    entry = next(d for d in doc["dcat:dataset"] if d["dct:identifier"] == "comments")
    assert {t["@language"] for t in entry["dct:title"]} == {"fi", "sv", "en"}
    assert entry["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {d["dct:format"]["@id"] for d in entry["dcat:distribution"]} == {
        "http://publications.europa.eu/resource/authority/file-type/CSV",
        "http://publications.europa.eu/resource/authority/file-type/JSON",
        "http://publications.europa.eu/resource/authority/file-type/PARQUET",
    }
    assert {d["dcat:mediaType"]["@id"] for d in entry["dcat:distribution"]} == {
        "https://www.iana.org/assignments/media-types/text/csv",
        "https://www.iana.org/assignments/media-types/application/jsonl",
        "https://www.iana.org/assignments/media-types/application/vnd.apache.parquet",
    }
    assert entry["dct:modified"]


def test_schema_tells_rows_from_tombstones_as_sent(client, setup):
    """Live rows carry every column and no `removed`; tombstones carry only id,
    removed and updated_at: the schema says each is one of the two."""
    service, discussion, user, moderator = setup
    comment(discussion, user, "näkyvä")
    comment_hide(
        comment=comment(discussion, user, "piilotettava"),
        moderator=moderator,
        reason="testi",
    )
    rows = api_rows(client, "comments", updated_since="2000-01-01T00:00:00Z")
    live = [row for row in rows if "removed" not in row]
    gone = [row for row in rows if "removed" in row]
    assert len(live) == len(gone) == 1
    schemas = client.get("/api/v1/schema/", {"format": "json"}).json()["components"][
        "schemas"
    ]
    row, tombstone = schemas["CommentsRow"], schemas["Tombstone"]
    assert set(row["required"]) == set(row["properties"]) == set(live[0])
    assert set(tombstone["required"]) == set(tombstone["properties"]) == set(gone[0])
    assert gone[0]["removed"] is True
    assert schemas["CommentsRowOrTombstone"]["oneOf"] == [
        {"$ref": "#/components/schemas/CommentsRow"},
        {"$ref": "#/components/schemas/Tombstone"},
    ]


@override_settings(OPENDATA_ANON_PER_MINUTE=1)
def test_the_429_is_in_one_language_the_readers(client, db):
    expected = {
        "fi": "Liian monta pyyntöä: yritä uudelleen",
        "sv": "För många förfrågningar: försök igen om",
        "en": "Too many requests: try again in",
    }
    for lang, start in expected.items():
        cache.clear()
        client.get("/api/v1/comments/", HTTP_ACCEPT_LANGUAGE=lang)
        refused = client.get("/api/v1/comments/", HTTP_ACCEPT_LANGUAGE=lang)
        assert refused.status_code == 429
        detail = refused.json()["detail"]
        assert detail.startswith(start), detail
        assert refused["Content-Language"] == lang
        if lang != "en":
            assert "Expected" not in detail and "throttled" not in detail
        assert int(refused["Retry-After"]) > 0
