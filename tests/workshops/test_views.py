"""The workshop pages: joining, the facilitator's pages, the board page, results."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from workshops import services
from workshops.models import JOIN_CODE_ALPHABET, Card, Participant, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def fac_client(facilitator):
    from django.test import Client

    client = Client()
    client.force_login(facilitator)
    return client


def test_join_with_code_and_name_lands_on_the_board(client, workshop, board):
    response = client.post(
        reverse("workshops:join"),
        {"code": workshop.join_code.lower(), "display_name": "Maija <b>M</b>"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workshops:board", args=[workshop.pk, board.pk]
    )
    participant = Participant.objects.get(workshop=workshop)
    assert participant.display_name == "Maija <b>M</b>"  # as typed (#12)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'id="board-app"' in page.content
    assert b"<script>alert" not in page.content


def test_join_code_page_asks_only_the_name(client, workshop, board):
    url = reverse("workshops:join_code", args=[workshop.join_code])
    page = client.get(url)
    assert b'name="code"' not in page.content and b'name="display_name"' in page.content
    response = client.post(url, {"display_name": "Pekka"})
    board_url = reverse("workshops:board", args=[workshop.pk, board.pk])
    assert response.status_code == 302
    assert response["Location"] == board_url
    # Coming back with the same session goes straight to the board.
    again = client.get(url)
    assert again.status_code == 302
    assert again["Location"] == board_url


def test_join_refuses_bad_codes_and_names(client, workshop):
    response = client.post(
        reverse("workshops:join"), {"code": "OOOOOO", "display_name": "x"}
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    # A screen reader hears the error with the field: the input names the
    # error list that the page shows.
    page = response.content.decode()
    described = re.search(
        r'<input[^>]*name="code"[^>]*aria-describedby="([^"]+)"', page
    )
    assert described and all(
        f'id="{target}"' in page for target in described.group(1).split()
    )
    assert 'id="id_code_error"' in page
    response = client.post(
        reverse("workshops:join"),
        {"code": workshop.join_code, "display_name": "\u202e\u2066"},
    )
    assert response.status_code == 200
    assert not Participant.objects.exists()
    assert (
        client.get(reverse("workshops:join_code", args=["ZZZZZZ"])).status_code == 404
    )


def test_join_respects_capacity(client, workshop):
    workshop.capacity = 1
    workshop.save()
    services.participant_join(workshop=workshop, display_name="First")
    response = client.post(
        reverse("workshops:join"),
        {"code": workshop.join_code, "display_name": "Second"},
    )
    assert response.status_code == 200
    assert Participant.objects.count() == 1


def test_board_page_needs_a_participant(client, workshop, board):
    response = client.get(reverse("workshops:board", args=[workshop.pk, board.pk]))
    assert response["Location"] == reverse(
        "workshops:join_code", args=[workshop.join_code]
    )


def test_join_codes_use_the_unambiguous_alphabet(workshop):
    assert len(workshop.join_code) == 6
    assert set(workshop.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set("01OIL") & set(JOIN_CODE_ALPHABET)


def test_facilitator_pages_are_for_facilitators(client, workshop, board, city):
    urls = [
        reverse("workshops:list"),
        reverse("workshops:create"),
        reverse("workshops:edit", args=[workshop.pk]),
        reverse("workshops:join_sheet", args=[workshop.pk]),
        reverse("workshops:board_columns", args=[workshop.pk, board.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login")), url
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_workshop_create_with_method_template(fac_client, city):
    response = fac_client.post(
        reverse("workshops:create"),
        {
            "title": "Asiakasraati <script>x</script>",
            "description": "",
            "city": city.pk,
            "starts_at": "2026-12-01T17:00",
            "language": "en",
            "method": "service_blueprint",
        },
    )
    assert response.status_code == 302
    workshop = fac_client.get(response["Location"]).context["workshop"]
    assert workshop.title == "Asiakasraati <script>x</script>"
    board = workshop.boards.get()
    assert [c.title for c in board.columns.all()] == [
        "Customer actions",
        "Front stage",
        "Back stage",
        "Support processes",
    ]


def test_workshop_list_query_count(
    fac_client, facilitator, city, django_assert_max_num_queries
):
    from django.utils import timezone

    for i in range(5):
        services.workshop_create(
            user=facilitator, city=city, title=f"W{i}", starts_at=timezone.now()
        )
    with django_assert_max_num_queries(12):
        response = fac_client.get(reverse("workshops:list"))
    assert len(response.context["workshops"]) == 5


def test_columns_add_rename_reorder(fac_client, workshop, board):
    url = reverse("workshops:board_columns", args=[workshop.pk, board.pk])
    fac_client.post(url, {"action": "add", "add-title": "Testaus"})
    first = board.columns.first()
    fac_client.post(url, {"action": "rename", "column": first.pk, "title": "Kenelle"})
    fac_client.post(url, {"action": "right", "column": first.pk})
    titles = list(board.columns.values_list("title", flat=True))
    assert titles[1] == "Kenelle" and titles[-1] == "Testaus" and len(titles) == 5


def test_join_sheet_has_qr_and_code(fac_client, workshop):
    page = fac_client.get(reverse("workshops:join_sheet", args=[workshop.pk]))
    assert b"<svg" in page.content
    assert workshop.join_code.encode() in page.content


def test_remove_participant(fac_client, workshop, alice):
    fac_client.post(
        reverse("workshops:participant_remove", args=[workshop.pk, alice.pk])
    )
    alice.refresh_from_db()
    assert alice.removed_at is not None


def test_no_js_card_form_and_console(
    client, fac_client, workshop, board, columns, alice
):
    session = client.session
    services.session_participant_remember(session, alice)
    session.save()
    url = reverse("workshops:card_add", args=[workshop.pk, board.pk])
    client.post(url, {"column": columns[0].pk, "text": "Ilman JS:ää", "color": "green"})
    assert Card.objects.get().text == "Ilman JS:ää"
    console = reverse("workshops:board_console", args=[workshop.pk, board.pk])
    assert client.post(console, {"action": "board.lock"}).status_code == 403
    fac_client.post(console, {"action": "board.lock"})
    board.refresh_from_db()
    assert board.locked and board.seq == 2
    client.post(url, {"column": columns[0].pk, "text": "locked", "color": "green"})
    assert Card.objects.count() == 1


def test_no_js_card_takes_the_chosen_or_the_page_language(
    client, workshop, board, columns, alice
):
    session = client.session
    services.session_participant_remember(session, alice)
    session.save()
    url = reverse("workshops:card_add", args=[workshop.pk, board.pk])
    column = columns[0].pk
    client.post(url, {"column": column, "text": "Kirjasto", "color": "green"})
    client.post(
        url, {"column": column, "text": "Bibliotek", "color": "green", "language": "sv"}
    )
    with translation.override("sv"):
        swedish_page_url = reverse("workshops:card_add", args=[workshop.pk, board.pk])
    client.post(swedish_page_url, {"column": column, "text": "Öppet", "color": "blue"})
    assert dict(Card.objects.values_list("text", "language")) == {
        "Kirjasto": "fi",
        "Bibliotek": "sv",
        "Öppet": "sv",
    }
    page = client.get(reverse("workshops:board", args=[workshop.pk, board.pk]))
    assert b'lang="sv">Bibliotek</p>' in page.content


@pytest.fixture
def closed_workshop(workshop, board, columns, alice, bob, facilitator):
    def add(text, column, group="", votes=0):
        card = Card.objects.create(
            board=board, column=column, author=alice, text=text, group=group
        )
        for _ in range(votes):
            Vote.objects.create(card=card, participant=bob, board=board)
        return card

    add('=HYPERLINK("http://evil")', columns[0], votes=1)
    add("Kirjasto auki iltaisin", columns[2], group="Aukiolo", votes=3)
    add("Sunnuntaisin", columns[2], group="Aukiolo", votes=1)
    add("Mobiililaina", columns[2], votes=2)
    services.workshop_close(
        user=facilitator, workshop=workshop, summary="Hyvä <b>jami</b>"
    )
    return workshop


def test_results_ranked_by_votes(
    fac_client, closed_workshop, django_assert_max_num_queries
):
    url = reverse("workshops:results", args=[closed_workshop.pk])
    with django_assert_max_num_queries(13):  # +1: the header's unread count
        page = fac_client.get(url)
    text = page.content.decode()
    assert text.index("Aukiolo") < text.index("Mobiililaina")
    assert text.index("Kirjasto auki iltaisin") < text.index("Sunnuntaisin")
    assert "Hyvä &lt;b&gt;jami&lt;/b&gt;" in text
    # Ranks as the list numbers: the cluster (4 votes) first, the card (2) second.
    assert '<li class="results-cluster" value="1"><strong>Aukiolo' in text
    mobile = Card.objects.get(text="Mobiililaina").pk
    assert f'<li id="card-{mobile}" value="2">' in text


def test_results_rank_clusters_and_cards_together_with_ties(board, columns, alice, bob):
    from workshops import selectors

    def add(text, group="", votes=0):
        card = Card.objects.create(
            board=board, column=columns[0], author=alice, text=text, group=group
        )
        Vote.objects.bulk_create(
            Vote(card=card, participant=bob, board=board) for _ in range(votes)
        )

    add("single three", votes=3)
    add("a1", group="A", votes=1)
    add("a2", group="A", votes=1)
    add("single two", votes=2)
    add("b1", group="B", votes=3)
    add("single none")
    column = selectors.workshop_results(workshop=board.workshop)[0].columns[0]
    assert [(getattr(i, "name", None) or i.text, i.rank) for i in column.ranked] == [
        ("B", 1),
        ("single three", 1),
        ("A", 3),
        ("single two", 3),
        ("single none", 5),
    ]
    cluster_a = column.ranked[2]
    assert [(c.text, c.rank) for c in cluster_a.cards] == [("a1", 1), ("a2", 1)]
    rows = selectors.result_rows(workshop=board.workshop)
    keys = ("text", "rank", "cluster_votes", "rank_in_cluster")
    assert [tuple(row[k] for k in keys) for row in rows] == [
        ("b1", 1, 3, 1),
        ("single three", 1, "", ""),
        ("a1", 3, 2, 1),
        ("a2", 3, 2, 1),
        ("single two", 3, "", ""),
        ("single none", 5, "", ""),
    ]


def test_results_visibility(client, closed_workshop, fac_client):
    url = reverse("workshops:results", args=[closed_workshop.pk])
    from django.test import Client

    assert Client().get(url).status_code == 404
    fac_client.post(
        reverse("workshops:publish", args=[closed_workshop.pk]), {"published": "1"}
    )
    closed_workshop.refresh_from_db()
    assert closed_workshop.results_published
    assert Client().get(url).status_code == 200


def test_exports(fac_client, closed_workshop):
    def get(fmt):
        return fac_client.get(
            reverse("workshops:results_download", args=[closed_workshop.pk, fmt])
        )

    rows = list(csv.DictReader(io.StringIO(get("csv").content.decode())))
    assert rows[0]["text"].startswith("'=HYPERLINK")
    assert {"Alice", "Bob"}.isdisjoint({v for row in rows for v in row.values()})
    data = json.loads(get("json").content)
    assert (
        data["cards"][0]["text"] == '=HYPERLINK("http://evil")'
    )  # JSON stays faithful
    assert data["workshop"]["summary"] == "Hyvä <b>jami</b>"
    markdown = get("md").content.decode()
    assert "1. **Aukiolo** (4)" in markdown
    assert "   1. Kirjasto auki iltaisin (3)" in markdown
    assert "2. Mobiililaina (2)" in markdown
    assert rows[0]["rank"] == "1"
    assert get("xls").status_code == 404


def test_publish_needs_a_closed_workshop(fac_client, workshop):
    fac_client.post(
        reverse("workshops:publish", args=[workshop.pk]), {"published": "1"}
    )
    workshop.refresh_from_db()
    assert not workshop.results_published


def test_board_page_query_count_and_silent_privacy(
    client, workshop, board, columns, alice, bob, django_assert_max_num_queries
):
    for i in range(30):
        Card.objects.create(
            board=board, column=columns[i % 4], author=bob, text=f"card {i}"
        )
    Card.objects.create(
        board=board, column=columns[0], author=bob, text="bob's secret", hidden=True
    )
    session = client.session
    services.session_participant_remember(session, alice)
    session.save()
    url = reverse("workshops:board", args=[workshop.pk, board.pk])
    with django_assert_max_num_queries(15):
        page = client.get(url)
    text = page.content.decode()
    assert "card 29" in text
    assert "bob&#x27;s secret" not in text and "bob's secret" not in text


def test_no_js_forms_are_parsed_as_socket_frames(
    client, fac_client, workshop, board, columns, alice, monkeypatch
):
    from workshops import protocol

    frames = []
    parse = protocol.parse
    monkeypatch.setattr(protocol, "parse", lambda raw: frames.append(raw) or parse(raw))
    session = client.session
    services.session_participant_remember(session, alice)
    session.save()
    url = reverse("workshops:card_add", args=[workshop.pk, board.pk])
    client.post(url, {"column": columns[0].pk, "text": "Lomake", "color": "green"})
    console = reverse("workshops:board_console", args=[workshop.pk, board.pk])
    fac_client.post(console, {"action": "vote.budget", "budget": "3"})
    sent = [json.loads(raw) for raw in frames]
    assert [(f["type"], f["op"].startswith("form-")) for f in sent] == [
        ("card.add", True),
        ("vote.budget", True),
    ]
    assert sent[0]["text"] == "Lomake" and sent[1]["budget"] == 3
    assert Card.objects.get().text == "Lomake"


def test_no_js_board_offers_only_what_the_server_takes(
    client, fac_client, workshop, board, columns, alice
):
    session = client.session
    services.session_participant_remember(session, alice)
    session.save()
    page_url = reverse("workshops:board", args=[workshop.pk, board.pk])
    page = client.get(page_url).content.decode()
    assert 'id="card-form-closed" hidden' in page
    assert '<strong id="votes-left">5</strong>' in page
    assert 'data-voting-open="false"' in page
    assert 'class="card-form__fields">' in page
    console = reverse("workshops:board_console", args=[workshop.pk, board.pk])
    fac_client.post(console, {"action": "board.lock"})
    page = client.get(page_url).content.decode()
    assert 'id="card-form-closed">' in page
    # The whole form (its fieldset) is disabled, the button says why.
    assert 'class="card-form__fields" disabled>' in page
    assert '"button" aria-describedby="card-form-closed"' in page
    # The facilitator still may: their form stays active.
    assert 'id="card-form-closed" hidden' in fac_client.get(page_url).content.decode()


def test_no_js_console_opens_and_closes_voting(fac_client, workshop, board):
    console = reverse("workshops:board_console", args=[workshop.pk, board.pk])
    fac_client.post(console, {"action": "voting.open"})
    board.refresh_from_db()
    assert (board.voting_choice, board.voting_open) == (True, True)
    assert board.events.get(seq=board.seq).payload == {
        "type": "voting.set",
        "voting_open": True,
    }
    fac_client.post(console, {"action": "voting.close"})
    board.refresh_from_db()
    assert board.voting_open is False
    # Not an action: nothing written, a message instead of a 500.
    response = fac_client.post(console, {"action": "voting.set", "open": "1"})
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.seq == 2
