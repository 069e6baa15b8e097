"""The no-JS pages for dreams and cards: choosing dreams for a board, turning a card
into a dream, and the links on the board, results and dream pages."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ideas.models import Dream, DreamStatus
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory
from workshops import services
from workshops.models import BoardEvent, Card

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


@pytest.fixture
def resident_client():
    client = Client()
    client.force_login(UserFactory())
    return client


@pytest.fixture
def alice_client(alice):
    client = Client()
    session = client.session
    services.session_participant_remember(session, alice)
    session.save()
    return client


def place_url(workshop, board):
    return reverse("workshops:board_dreams", args=[workshop.pk, board.pk])


# --- Placing dreams -------------------------------------------------------------------


def test_dream_choices_list_open_dreams_of_the_city_with_fixed_queries(
    fac_client,
    workshop,
    board,
    columns,
    city,
    other_city,
    django_assert_max_num_queries,
):
    ours = DreamFactory(city=city, title="Iltakirjasto nuorille", support_count=9)
    everyone = DreamFactory(city=None, title="Kaikkien kaupunkien unelma")
    DreamFactory(city=other_city, title="Turun unelma")
    DreamFactory(city=city, title="Yhdistetty unelma", status=DreamStatus.MERGED)
    DreamFactory(city=city, title="Hylätty unelma", status=DreamStatus.NOT_PURSUED)
    Card.objects.create(board=board, column=columns[0], text="x", from_dream=everyone)
    url = place_url(workshop, board)
    with django_assert_max_num_queries(16) as few:
        page = fac_client.get(url)
    body = page.content.decode()
    assert "Iltakirjasto nuorille" in body and "Kaikkien kaupunkien unelma" in body
    for absent in ("Turun unelma", "Yhdistetty unelma", "Hylätty unelma"):
        assert absent not in body
    assert "<script>alert" not in body
    assert body.index("Iltakirjasto nuorille") < body.index("Kaikkien kaupunkien")
    assert f'value="{everyone.pk}" id="dream-{everyone.pk}" disabled' in body
    assert "Already on this board." in body
    for _ in range(30):
        DreamFactory(city=city)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = fac_client.get(url)
    assert page.context["page"].next_cursor  # 20 a page, the rest behind the cursor
    searched = fac_client.get(url, {"q": "nuorille"})
    assert [c.dream for c in searched.context["page"].choices] == [ours]


def test_place_dreams_without_js(fac_client, workshop, board, columns, city):
    dreams = [DreamFactory(city=city), DreamFactory(city=city)]
    response = fac_client.post(
        place_url(workshop, board),
        {"dreams": [d.pk for d in dreams], "column": columns[1].pk},
    )
    assert response.status_code == 302
    board_url = reverse("workshops:board", args=[workshop.pk, board.pk])
    assert response["Location"] == board_url
    cards = list(Card.objects.order_by("position"))
    assert [c.from_dream_id for c in cards] == [d.pk for d in dreams]
    assert {c.column_id for c in cards} == {columns[1].pk}
    assert BoardEvent.objects.count() == 2
    page = fac_client.get(board_url)
    body = page.content.decode()
    assert "2 dreams were placed" in body
    assert reverse("ideas:dream_detail", args=[dreams[0].pk]) in body
    assert f"From dream #{dreams[0].pk}" in body
    # The dream page now links to the workshop.
    dream_page = fac_client.get(dreams[0].get_absolute_url()).content.decode()
    assert reverse("workshops:detail", args=[workshop.pk]) in dream_page
    assert "Kirjastojami &lt;script&gt;alert(1)&lt;/script&gt;" in dream_page


def test_place_dreams_errors_are_shown_and_nothing_placed(
    fac_client, workshop, board, columns, city, other_city
):
    good, foreign = DreamFactory(city=city), DreamFactory(city=other_city)
    response = fac_client.post(
        place_url(workshop, board),
        {"dreams": [good.pk, foreign.pk], "column": columns[0].pk},
    )
    assert response.status_code == 200
    assert "is a dream of another city" in response.content.decode()
    assert response.context["chosen"] == {str(good.pk), str(foreign.pk)}
    response = fac_client.post(place_url(workshop, board), {"column": columns[0].pk})
    assert "Choose at least one dream." in response.content.decode()
    response = fac_client.post(
        place_url(workshop, board), {"dreams": [999_999], "column": columns[0].pk}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Card.objects.exists() and not BoardEvent.objects.exists()


def test_place_dreams_is_for_facilitators_only(
    client, resident_client, alice_client, workshop, board, columns, city
):
    dream = DreamFactory(city=city)
    data = {"dreams": [dream.pk], "column": columns[0].pk}
    url = place_url(workshop, board)
    assert resident_client.get(url).status_code == 403
    assert resident_client.post(url, data).status_code == 403
    for anonymous in (client, alice_client):  # a board participant has no account
        response = anonymous.post(url, data)
        assert response.status_code == 302 and "/login" in response["Location"]
    assert not Card.objects.exists()
    dream.refresh_from_db()
    assert dream.status == DreamStatus.NEW


def test_board_page_links_for_facilitators(
    fac_client, alice_client, workshop, board, columns, alice
):
    card = Card.objects.create(
        board=board, column=columns[0], author=alice, text="Idea"
    )
    to_dream = reverse("workshops:card_dream", args=[workshop.pk, card.pk])
    url = reverse("workshops:board", args=[workshop.pk, board.pk])
    body = fac_client.get(url).content.decode()
    assert place_url(workshop, board) in body
    assert to_dream in body and "data-card-dream-url" in body
    body = alice_client.get(url).content.decode()
    assert place_url(workshop, board) not in body
    assert to_dream not in body and "data-card-dream-url" not in body


# --- Turning a card into a dream -----------------------------------------------------


@pytest.fixture
def card(board, columns, alice):
    return Card.objects.create(
        board=board,
        column=columns[2],
        author=alice,
        text="Digituutorit kirjastoon kahtena iltana viikossa",
    )


def card_url(workshop, card):
    return reverse("workshops:card_dream", args=[workshop.pk, card.pk])


def test_card_to_dream_form_prefilled_and_saved_once(
    fac_client, workshop, board, card, city
):
    url = card_url(workshop, card)
    page = fac_client.get(url)
    form = page.context["form"]
    assert form["title"].value() == card.text
    assert form["description"].value() == card.text
    assert form["city"].value() == str(city.pk)
    board_url = reverse("workshops:board", args=[workshop.pk, board.pk])
    response = fac_client.post(
        url,
        {
            "title": "Digituutorit iltaisin",
            "description": card.text,
            "target_group": "seniors",
            "city": "all",
            "language": "fi",
            "next": board_url,
        },
    )
    assert response.status_code == 302 and response["Location"] == board_url
    dream = Dream.objects.get()
    assert dream.city is None and dream.target_group == "seniors"
    card.refresh_from_db()
    assert card.became_dream == dream
    # Twice: a clear refusal, no second dream.
    page = fac_client.get(url).content.decode()
    assert "This card already became" in page and f"dream #{dream.pk}" in page
    response = fac_client.post(
        url,
        {
            "title": "Toinen kerta",
            "description": card.text,
            "target_group": "everyone",
            "city": str(city.pk),
            "language": "fi",
        },
    )
    assert response.status_code == 200
    assert f"This card already became dream #{dream.pk}." in response.content.decode()
    assert Dream.objects.count() == 1
    # The dream page links back to the workshop; the dream is nobody's own.
    dream_page = Client().get(dream.get_absolute_url()).content.decode()
    assert reverse("workshops:detail", args=[workshop.pk]) in dream_page
    assert "removed user" not in dream_page


def test_card_to_dream_errors_on_the_form(fac_client, workshop, card):
    response = fac_client.post(
        card_url(workshop, card),
        {
            "title": "Lyhy",
            "description": "lyhyt",
            "target_group": "everyone",
            "city": "all",
            "language": "fi",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors and "description" in errors
    assert response.context["back"] == reverse("workshops:results", args=[workshop.pk])
    assert not Dream.objects.exists()


def test_card_to_dream_is_for_facilitators_of_this_workshop(
    client, resident_client, alice_client, fac_client, workshop, card, city, facilitator
):
    data = {
        "title": "Digituutorit iltaisin",
        "description": card.text,
        "target_group": "everyone",
        "city": "all",
        "language": "fi",
    }
    url = card_url(workshop, card)
    assert resident_client.get(url).status_code == 403
    assert resident_client.post(url, data).status_code == 403
    assert alice_client.post(url, data).status_code == 302  # to the log-in page
    other = services.workshop_create(
        user=facilitator, city=city, title="Toinen", starts_at=timezone.now()
    )
    assert fac_client.post(card_url(other, card), data).status_code == 404
    assert not Dream.objects.exists()


def test_results_show_became_dream_links(
    fac_client,
    workshop,
    board,
    columns,
    card,
    city,
    facilitator,
    alice,
    django_assert_max_num_queries,
):
    placed = DreamFactory(city=city)
    services.cards_place_dreams(
        board=board, column=columns[0], dreams=[placed], by=facilitator
    )
    for i in range(10):
        Card.objects.create(board=board, column=columns[1], author=alice, text=f"c{i}")
    dream = services.card_dream_create(
        workshop=workshop,
        card=card,
        by=facilitator,
        title="Digituutorit iltaisin",
        city=city,
        target_group="everyone",
    )
    services.workshop_close(user=facilitator, workshop=workshop)
    services.workshop_publish(user=facilitator, workshop=workshop)
    url = reverse("workshops:results", args=[workshop.pk])
    # +2: the header's unread count, and whether the viewer follows it.
    with django_assert_max_num_queries(14):
        body = fac_client.get(url).content.decode()
    assert f"became dream #{dream.pk}" in body
    assert f"from dream #{placed.pk}" in body
    assert body.count("Turn into a dream") == 11  # the others
    public = Client().get(url).content.decode()
    assert f"became dream #{dream.pk}" in public
    assert "Turn into a dream" not in public
    # Published results: the dream page links to them.
    dream_page = Client().get(dream.get_absolute_url()).content.decode()
    assert url in dream_page
