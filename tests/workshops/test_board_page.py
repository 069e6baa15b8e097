"""The board page as the server renders it: the presenter view (`?present=1`),
clusters as groups, the viewer's own votes, and the add form on a locked board."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from workshops import protocol, services
from workshops.models import Card, Vote

pytestmark = pytest.mark.django_db

SECRET = "Salainen toive"


@pytest.fixture
def fac_client(facilitator):
    client = Client()
    client.force_login(facilitator)
    return client


@pytest.fixture
def alice_client(alice):
    client = Client()
    session = client.session
    services.session_participant_remember(session, alice)
    session.save()
    return client


def change(user, board, kind, **fields):
    """A facilitator's change, as the socket would apply it."""
    access = services.board_access(board=board, user=user, session=None)
    message = protocol.parse(json.dumps({"type": kind, "op": f"{kind}-x", **fields}))
    return services.board_change(access=access, user=user, message=message)


def url(workshop, board, **query):
    with translation.override("en"):
        path = reverse("workshops:board", args=[workshop.pk, board.pk])
    return path + ("?present=1" if query.get("present") else "")


def test_the_presenter_page_never_shows_hidden_texts(
    fac_client, facilitator, workshop, board, columns
):
    change(facilitator, board, "phase.set", phase="silent")
    change(facilitator, board, "card.add", column=columns[0].pk, text=SECRET)

    own = fac_client.get(url(workshop, board)).content.decode()
    assert SECRET in own  # the author sees their own card on the board
    page = fac_client.get(url(workshop, board, present=True)).content.decode()
    assert SECRET not in page
    assert "Hidden until the reveal" in page
    assert f'data-ws-path="/ws/boards/{board.pk}/?present=1"' in page
    # No controls on the room's screen: no console, no add form, no card buttons.
    for control in ('id="console"', 'id="card-form"', "data-act=", 'data-slot="grip"'):
        assert control not in page


def test_clusters_are_groups_with_summed_votes_and_own_dots(
    alice_client, alice, bob, workshop, board, columns
):
    column = columns[0]
    cards = [
        Card.objects.create(board=board, column=column, author=bob, text=t, position=i)
        for i, t in enumerate(["Penkit", "Valot", "Kahvila"])
    ]
    Card.objects.filter(pk__in=[cards[0].pk, cards[2].pk]).update(group="Ulkona")
    for card, voter in ((cards[0], alice), (cards[0], alice), (cards[2], bob)):
        Vote.objects.create(card=card, participant=voter, board=board)

    page = alice_client.get(url(workshop, board)).content.decode()
    cluster = page.split('data-cluster="Ulkona"')[1].split("</ol>")[0]
    assert "3 votes" in cluster  # 2 + 1, summed over the cluster's cards
    assert "Penkit" in cluster and "Kahvila" in cluster and "Valot" not in cluster
    # The cluster stands where its first card does, before the loose one.
    assert page.index('data-cluster="Ulkona"') < page.index("Valot")
    penkit = page.split(f'id="card-{cards[0].pk}"')[1].split("</li>")[0]
    assert "●●" in penkit and "2 from you" in penkit
    kahvila = page.split(f'id="card-{cards[2].pk}"')[1].split("</li>")[0]
    assert "●" not in kahvila  # Bob's vote is not Alice's dot


def test_a_locked_board_disables_the_add_form_for_participants(
    alice_client, fac_client, facilitator, workshop, board, columns
):
    change(facilitator, board, "board.lock")
    page = alice_client.get(url(workshop, board)).content.decode()
    assert '<fieldset id="card-fieldset" class="card-form__fields" disabled>' in page
    assert 'id="locked-notice" hidden' not in page
    # A facilitator still writes on a locked board.
    page = fac_client.get(url(workshop, board)).content.decode()
    assert '<fieldset id="card-fieldset" class="card-form__fields">' in page
