"""The paper pages (`workshops/views/paper.py`): the printable kit and entering
paper cards without JavaScript, preview first."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from workshops.models import BoardEvent, Card, Channel
from workshops.services.paper import PAPER_CARDS_MAX

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages and messages in English (`reverse` gives the /en/ addresses)."""
    with translation.override("en"):
        yield


@pytest.fixture
def fac_client(facilitator):
    client = Client()
    client.force_login(facilitator)
    return client


def test_kit_has_qr_code_and_a_sheet_per_column_in_the_workshop_language(
    fac_client, workshop, board, columns, django_assert_max_num_queries
):
    workshop.language = "sv"
    workshop.save()
    url = reverse("workshops:kit", args=[workshop.pk])
    with django_assert_max_num_queries(12):
        page = fac_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and workshop.join_code in html
    assert 'lang="sv"' in html
    # The page around the kit in the reader's language, the kit in Swedish.
    assert "Printable kit for" in html
    assert "Skriv en idé på varje lapp" in html
    for column in columns:
        assert html.count(f"{board.title} · {column.title}") >= 6
    assert "<script>alert" not in html  # the workshop's title is escaped
    assert "css/paper.css" in html


def test_kit_is_for_facilitators_only(client, workshop):
    url = reverse("workshops:kit", args=[workshop.pk])
    assert client.get(url).status_code == 302  # to log in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def paper_url(workshop, board):
    return reverse("workshops:paper_cards", args=[workshop.pk, board.pk])


def post(client, workshop, board, col, text, action="save", **extra):
    data = {
        "column": col.pk,
        "meeting": "Kontula library",
        "meeting_on": "2026-12-01",
        "language": "fi",
        "color": "green",
        "text": text,
        "action": action,
        **extra,
    }
    return client.post(paper_url(workshop, board), data)


def test_preview_lists_the_cards_and_writes_nothing(
    fac_client, workshop, board, columns
):
    page = post(fac_client, workshop, board, columns[1], "One\n\nTwo <i>", "preview")
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 cards will be added to" in html
    assert "Two &lt;i&gt;" in html and "(line 3)" in html
    assert not Card.objects.exists() and not BoardEvent.objects.exists()


def test_saving_adds_the_cards_and_keeps_the_meeting_for_the_next_batch(
    fac_client, workshop, board, columns
):
    response = post(fac_client, workshop, board, columns[1], "One\nTwo")
    assert response.status_code == 302
    cards = list(Card.objects.order_by("position"))
    assert [c.text for c in cards] == ["One", "Two"]
    assert {(c.channel, c.meeting, c.color, c.author_id) for c in cards} == {
        (Channel.IN_PERSON, "Kontula library", "green", None)
    }
    page = fac_client.get(response["Location"])
    html = page.content.decode()
    assert "2 cards were added to" in html
    assert 'value="Kontula library"' in html and 'value="2026-12-01"' in html
    assert f'<option value="{columns[1].pk}" selected>' in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n \n", "Type at least one card"),
        ("ok\n" + "x" * 501, "Line 2 is longer than 500 characters"),
        ("\n".join("c" for _ in range(PAPER_CARDS_MAX + 1)), "enter at most 100"),
    ],
)
def test_bad_text_is_a_form_error_and_nothing_is_written(
    fac_client, workshop, board, columns, text, message
):
    page = post(fac_client, workshop, board, columns[0], text)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Card.objects.exists() and not BoardEvent.objects.exists()


def test_malformed_posts_never_500(fac_client, workshop, board, columns):
    for extra in (
        {"column": "nope"},
        {"column": "999999"},
        {"meeting": ""},
        {"meeting_on": "32.13.2026"},
        {"color": "ultraviolet"},
        {"language": "xx"},
    ):
        page = post(fac_client, workshop, board, columns[0], "card", **extra)
        assert page.status_code == 200, extra
        assert b'class="errorlist' in page.content, extra
    assert not Card.objects.exists()
    page = fac_client.get(paper_url(workshop, board) + "?column=x&meeting_on=%00")
    assert page.status_code == 200


def test_locked_board_is_refused_with_a_message(fac_client, workshop, board, columns):
    board.locked = True
    board.save()
    page = post(fac_client, workshop, board, columns[0], "card")
    assert "unlock it to enter paper cards" in page.content.decode()
    assert not Card.objects.exists()


def test_wrong_role_is_refused(client, workshop, board, columns, alice):
    url = paper_url(workshop, board)
    user = UserFactory()
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert post(client, workshop, board, columns[0], "card").status_code == 403
    assert not Card.objects.exists()


def test_results_and_downloads_tell_paper_cards(
    fac_client, facilitator, workshop, board, columns
):
    from workshops import services

    post(fac_client, workshop, board, columns[0], "Benches")
    services.workshop_close(user=facilitator, workshop=workshop)
    page = fac_client.get(reverse("workshops:results", args=[workshop.pk]))
    assert "on paper, Kontula library" in page.content.decode()
    body = fac_client.get(
        reverse("workshops:results_download", args=[workshop.pk, "csv"])
    ).content.decode()
    [row] = csv.DictReader(io.StringIO(body))
    assert (row["text"], row["channel"]) == ("Benches", "in_person")
