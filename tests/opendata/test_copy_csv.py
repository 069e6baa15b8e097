"""CSV through PostgreSQL's COPY is the CSV of the Python path, byte for byte: one
dialect (CRLF, empty for null and '', RFC 3339 UTC times, the formula guard)."""

import uuid

import pytest
from django.db import connections

from core.actors import Actor
from discussions.models import Comment
from discussions.services import comment_create
from opendata import copy_csv, datasets, formats
from tests.opendata.test_api import comment
from tests.opendata.test_formats import _comments

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="COPY is PostgreSQL's (CI sets DATABASE_URL).",
)


def _made(discussion, user) -> None:
    _comments(discussion, user)
    for text in ("-1; ei näin\nvaan toisin", "@x", "\ttab", 'a,b "c"', "ä€😀"):
        comment(discussion, user, text=text)
    other = comment_create(
        discussion=discussion, participant=Actor(user=user), text="=kaava"
    )
    Comment.objects.filter(pk=other.pk).update(author=None, stance="")
    Comment.objects.create(
        discussion=discussion, anonymous_key=uuid.uuid4(), text="toinen", stance=""
    )


def python_csv(dataset, **kwargs) -> bytes:
    return b"".join(formats.iter_csv(dataset, formats.rows(dataset), **kwargs))


def test_copy_and_python_csv_agree_row_for_row(setup):
    service, discussion, user, _ = setup
    _made(discussion, user)
    dataset = datasets.get("comments")
    assert copy_csv.available(dataset)

    copied = b"".join(formats.encoded(dataset, "csv"))
    expected = python_csv(dataset)

    assert copied.split(b"\r\n") == expected.split(b"\r\n")
    assert len(copied.split(b"\r\n")) == 1 + 13 + 1
    assert b"'=kaava" in copied and b"removed" in copied
    excel = b"".join(formats.encoded(dataset, formats.EXCEL_CSV))
    assert excel == python_csv(dataset, sep=";", bom=True)


def test_copy_csv_served_streams_in_chunks_and_keeps_the_key_out_of_sql(
    client, setup, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    service, discussion, user, _ = setup
    _made(discussion, user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/exports/comments.csv")
        body = b"".join(response.streaming_content)
    assert body == python_csv(datasets.get("comments"))
    logged = " ".join(q["sql"] for q in queries.captured_queries)
    assert settings.PSEUDONYM_KEY not in logged
    empty = copy_csv.iter_copy_csv(datasets.get("comments"))
    assert next(empty).startswith(b"id,city,")
