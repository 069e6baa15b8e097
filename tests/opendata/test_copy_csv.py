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


# Cells a CSV writer gets wrong most easily: every formula start, the quote, both
# separators, line breaks typed inside a cell, the empty string, COPY's own end
# marker, text beyond ASCII.
TRICKY = [
    "=SUM(A1:A3)",
    "+358 40",
    "-1",
    "@kaikki",
    "\tsarkain",
    "\rCR",
    'a,b "c"',
    "puoli;piste",
    "rivi\nvaihto",
    "CRLF\r\nrivi",
    "",
    "\\.",
    "ä€😀",
]
# Whose text is HTML, made plain by Django's strip_tags in Python: SQL cannot
# reproduce it byte for byte. Small datasets (one row a page or section).
# `panels` too: a few rows a city, with the results' addresses built by
# `reverse` (the URL configuration is Python's).
PYTHON_CSV = {"services", "responses", "sections", "panels"}


def _exact_times(queryset) -> None:
    """One row changed on a whole second, the others keep their microseconds."""
    from datetime import UTC, datetime

    first = queryset.order_by("pk").first()
    queryset.filter(pk=first.pk).update(
        updated_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    )


def _dreams(city, user) -> None:
    from core.models import District
    from ideas.models import Dream
    from tests.opendata.conftest import make_dream

    district = District.objects.create(city=city, slug="kallio", name_fi="=Kallio")
    for n, text in enumerate(TRICKY):
        dream = make_dream(city, user if n % 3 else None)
        Dream.objects.filter(pk=dream.pk).update(
            title=text,
            description=TRICKY[-1 - n],
            what_would_change=text,
            district=district if n % 2 else None,
            anonymous_key=uuid.uuid4() if n % 3 == 0 and n % 2 else None,
        )
        if n % 4 == 0:
            dream.topics.clear()
    _exact_times(Dream.objects.all())


def _workshops(city, user) -> None:
    from django.utils import timezone

    from tests.opendata.conftest import publish_workshop
    from workshops import services
    from workshops.models import Card, Participant, Workshop

    published = publish_workshop(city)
    board = published.boards.get()
    joined = Participant.objects.create(workshop=published, user=user)
    gone = Participant.objects.create(workshop=published)
    for n, text in enumerate(TRICKY):
        Card.objects.create(
            board=board,
            column=board.columns.first(),
            author=(joined, gone, None)[n % 3],
            text=text or "tyhjä",
            group=TRICKY[-1 - n],
            hidden=n == 5,  # never public
        )
    Workshop.objects.filter(pk=published.pk).update(
        description="\n".join(TRICKY), summary='=yhteenveto; "hyvä"', ends_at=None
    )
    gone.delete()
    _exact_times(Card.objects.all())
    facilitator = published.facilitators.first()
    services.workshop_create(  # unpublished: none of it is public
        user=facilitator, city=city, title="=Luonnos", starts_at=timezone.now()
    )


def _feedback(city) -> None:
    """Tricky text in every text column, points whole and fractional, a
    confirmed and an unconfirmed address, hidden and private items."""
    from core.models import District
    from feedback.models import FeedbackItem, Status, Visibility
    from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory

    district = District.objects.create(city=city, slug="=alue", name_fi="=Alue")
    service = FeedbackServiceFactory(city=city, name_fi=TRICKY[0], group_sv=TRICKY[6])
    points = [(60.0, 25.0), (-0.5, 24.1234567), (None, None)]
    for n, text in enumerate(TRICKY):
        lat, long = points[n % 3]
        item = FeedbackItemFactory(
            service=service,
            public_title=text or "tyhjä",
            public_description=TRICKY[-1 - n],
            answer=text,
            address=text,
            place_confirmed=n % 2 == 0,
            lat=lat,
            long=long,
            district=district if n % 2 else None,
            status=(Status.DONE, Status.HANDLING)[n % 2],
            source_system=TRICKY[-1 - n],
            visibility=Visibility.PRIVATE if n == 5 else Visibility.PUBLIC,
            public_lat=lat,
            public_long=long,
        )
        if n % 3 == 0:
            FeedbackItem.objects.filter(pk=item.pk).update(
                answered_at=item.requested_at, closed_at=item.requested_at
            )
    _exact_times(FeedbackItem.objects.all())


def _copy_datasets() -> list[str]:
    return [name for name, dataset in datasets.listed().items() if dataset.copy_fields]


@pytest.mark.parametrize("name", sorted(datasets.listed()))
def test_every_dataset_but_the_html_ones_downloads_through_copy(name):
    """A new dataset fails here until it declares copy_fields (and so runs in
    the agreement test below) or says why its CSV must stay Python's."""
    assert bool(datasets.get(name).copy_fields) != (name in PYTHON_CSV)


@pytest.mark.parametrize("name", _copy_datasets())
def test_copy_and_python_csv_agree_byte_for_byte_on_tricky_data(name, setup, city):
    service, discussion, user, _ = setup
    _made(discussion, user)
    Comment.objects.create(
        discussion=discussion, author=user, text="=piilo", status="hidden"
    )
    _dreams(city, user)
    _workshops(city, user)
    _feedback(city)
    dataset = datasets.get(name)

    copied = b"".join(formats.encoded(dataset, "csv"))
    expected = python_csv(dataset)
    assert copied.split(b"\r\n") == expected.split(b"\r\n")
    assert copied == expected
    assert b"'=" in expected  # the tricky rows are in it, guarded
    excel = b"".join(formats.encoded(dataset, formats.EXCEL_CSV))
    assert excel == python_csv(dataset, sep=";", bom=True)
    for secret in (b"piilo", b"Luonnos", b"Ainomaija"):
        assert secret not in copied
