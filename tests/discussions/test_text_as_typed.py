"""A comment's text round-trips as typed: form → page (escaped) → API, CSV and
JSON Lines (exact, formula-guarded in CSV)."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from discussions.models import Comment
from participation.services import service_discussions_sync
from tests.factories import UserFactory
from tests.opendata.test_api import api_rows, download
from tests.participation.factories import make_service

pytestmark = pytest.mark.django_db

TYPED = (
    "Katso <https://hel.fi> tai <matti@example.fi>: x<y ja y>z, Tom &amp; Jerry, "
    "&lt;script&gt; ja <script>alert(1)</script> 👨\u200d👩\u200d👧 می\u200cخواهم"
)
DANGEROUS = "\u202e\u2066"  # (a NUL is refused by the form itself)


def test_a_comment_round_trips_as_typed(client, city_page):
    service = make_service(city_page)
    discussion = service_discussions_sync(page=service)[service.discussion_key]
    user = UserFactory()
    cache.clear()
    client.force_login(user)
    response = client.post(
        reverse("discussions:comment_create", args=[discussion.pk]),
        {"text": TYPED + DANGEROUS, "next": "/"},
    )
    assert response.status_code in (200, 302), response.content.decode()[-3000:]
    comment = Comment.objects.get()
    assert comment.text == TYPED

    page = client.get(service.url).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp;lt;script&amp;gt;" in page  # the typed entity, shown as typed
    assert "Tom &amp;amp; Jerry" in page

    [row] = api_rows(client, "comments")
    assert row["text"] == TYPED
    csv_rows = list(
        csv.DictReader(io.StringIO(download(client, "comments", "csv").decode()))
    )
    assert [r["text"] for r in csv_rows] == [TYPED]
    [line] = download(client, "comments", "jsonl").decode().splitlines()
    assert json.loads(line)["text"] == TYPED
