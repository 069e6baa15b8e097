"""Fast downloads are still the same downloads: value rows give exactly the rows the
API gives, and under ASGI a download leaves the server chunk by chunk."""

import csv
import io
import uuid

import pytest
from django.core.cache import cache
from django.db import connections

from core.actors import Actor
from discussions.models import Comment
from discussions.services import comment_create
from opendata import copy_csv, datasets, formats
from tests.factories import UserFactory


def _comments(discussion, user) -> list[Comment]:
    cache.clear()  # the write rate limit is not what these tests are about
    made = [
        comment_create(
            discussion=discussion,
            participant=Actor(user=user),
            text=f'=kaava {n}, "lainaus" ja <b>{n}</b>',
            stance="for" if n % 2 else "",
        )
        for n in range(3)
    ]
    made.append(
        comment_create(
            discussion=discussion,
            participant=Actor(user=user),
            text="vastaus",
            parent=made[0],
        )
    )
    made.append(
        Comment.objects.create(
            discussion=discussion,
            anonymous_key=uuid.uuid4(),
            nickname="Nimetön",
            text="+nimetön",
        )
    )
    leaver = UserFactory()
    made.append(
        comment_create(
            discussion=discussion, participant=Actor(user=leaver), text="hei"
        )
    )
    leaver.delete()  # the pseudonym becomes "removed"
    return made


def test_flat_value_rows_equal_model_rows(setup):
    service, discussion, user, _ = setup
    _comments(discussion, user)
    flat = [d for d in datasets.REGISTRY.values() if d.flat]
    assert flat, "no dataset takes the fast path"
    for dataset in flat:
        objects = dataset.queryset().order_by("updated_at", "id")
        expected = [list(dataset.row(obj).values()) for obj in objects]
        fast = list(formats.value_rows(dataset, formats.rows(dataset)))
        assert fast == expected, dataset.name
    comments = datasets.get("comments")
    fast = list(formats.value_rows(comments, formats.rows(comments)))
    assert len(fast) == 6
    authors = {row[comments.column_names.index("author")] for row in fast}
    assert "removed" in authors and len(authors) == 3


def test_csv_cells_by_type_match_csv_cell(setup):
    service, discussion, user, _ = setup
    _comments(discussion, user)
    dataset = datasets.get("comments")
    body = b"".join(formats.iter_csv(dataset, formats.rows(dataset))).decode()
    got = list(csv.reader(io.StringIO(body)))[1:]
    expected = [
        [str(formats.csv_cell(value)) for value in dataset.row(obj).values()]
        for obj in dataset.queryset().order_by("updated_at", "id")
    ]
    assert got == expected
    texts = [row[dataset.column_names.index("text")] for row in got]
    assert all(text.startswith("'") for text in texts if text[1:2] in "=+")


@pytest.mark.django_db(transaction=True)
async def test_download_is_streamed_chunk_by_chunk_under_asgi(
    async_client, setup, monkeypatch
):
    from asgiref.sync import sync_to_async

    service, discussion, user, _ = setup
    made = await sync_to_async(_comments)(discussion, user)
    monkeypatch.setattr(formats, "YIELD_ROWS", 2)
    monkeypatch.setattr(copy_csv, "COPY_ROWS", 2)  # CSV on PostgreSQL
    response = await async_client.get("/api/v1/exports/comments.csv")
    assert response.status_code == 200
    # An async body: Django hands it to the server as it is made, instead of
    # reading a synchronous one whole into memory first.
    assert response.is_async
    chunks = [chunk async for chunk in response.streaming_content]
    assert len(chunks) > 2
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))
    assert sorted(int(row["id"]) for row in rows) == sorted(c.pk for c in made)
    # The request's thread opened its own connection; the test database must go.
    await sync_to_async(connections.close_all)()


def test_csv_cells_are_what_csv_writer_writes():
    """The hand-made CSV quoting gives csv.writer's bytes, cell for cell."""
    from datetime import UTC, datetime

    from opendata.datasets import BOOLEAN, DATETIME, INTEGER, STRING

    cases = {
        STRING: [
            None,
            "",
            "tavallinen",
            "a,b",
            'sanoi "hei"',
            "rivi\nvaihto",
            "cr\rx",
            "=SUM(A1)",
            "+1",
            "-1",
            "@x",
            "\tsarkain",
            "\rrivi",
            "ä€😀",
        ],
        INTEGER: [None, 0, 7, -3],
        DATETIME: [None, datetime(2026, 3, 1, 12, 30, 5, 123, tzinfo=UTC)],
        BOOLEAN: [None, True, False],
    }
    for kind, values in cases.items():
        cell = formats.CSV_CELL_BY_TYPE.get(kind, formats._any_cell)
        for value in values:
            out = io.StringIO()
            csv.writer(out, lineterminator="\r\n").writerow(
                [formats.csv_cell(value), "x"]
            )
            assert f"{cell(value)},x\r\n" == out.getvalue(), (kind, value)
    any_cell, by_type = formats._CSV_CELLS[";"]
    for kind, values in cases.items():
        cell = by_type.get(kind, any_cell)
        for value in [*values, "a;b"]:
            out = io.StringIO()
            csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(
                [formats.csv_cell(value), "x"]
            )
            assert f"{cell(value)};x\r\n" == out.getvalue(), (kind, value)


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="psycopg's loaders exist on PostgreSQL only (CI sets DATABASE_URL).",
)
def test_streamed_timestamps_leave_the_connection_as_django_made_it(setup):
    """The fast timestamp loader is the streaming cursor's own: the rows carry the
    connection's time zone, and every later query reads times as before."""
    from psycopg.pq import Format

    service, discussion, user, _ = setup
    _comments(discussion, user)
    connection = connections["default"]
    adapters = connection.connection.adapters
    oid = adapters.types["timestamptz"].oid
    django_loader = adapters.get_loader(oid, Format.TEXT)
    dataset = datasets.get("comments")

    streamed = list(formats.rows(dataset))

    assert len(streamed) == 6
    assert {row.updated_at.tzinfo for row in streamed} == {connection.timezone}
    assert adapters.get_loader(oid, Format.TEXT) is django_loader
    expected = [
        (c.pk, c.updated_at) for c in dataset.queryset().order_by("updated_at", "id")
    ]
    assert [(row.pk, row.updated_at) for row in streamed] == expected
