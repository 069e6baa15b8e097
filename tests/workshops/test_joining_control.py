"""Who may join a workshop: removal bans (the row, the browser, the account)
until a facilitator readmits; joining open, closed or needing approval; the
per-address join limit a venue's room of 30 fits in."""

import time
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import ratelimit
from tests.factories import UserFactory
from workshops import services
from workshops.models import Joining, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The pages under /en/, so the assertions read the English texts."""
    with translation.override("en"):
        yield


@pytest.fixture
def fac_client(facilitator):
    client = Client()
    client.force_login(facilitator)
    return client


def join(client, workshop, name: str):
    return client.post(
        reverse("workshops:join_code", args=[workshop.join_code]),
        {"display_name": name},
    )


def board_url(workshop, board):
    return reverse("workshops:board", args=[workshop.pk, board.pk])


def test_a_removed_participant_cannot_rejoin_with_a_new_name(
    client, workshop, board, facilitator
):
    assert join(client, workshop, "Mallory").status_code == 302
    mallory = Participant.objects.get(display_name="Mallory")
    services.participant_remove(user=facilitator, participant=mallory)

    page = client.get(reverse("workshops:join_code", args=[workshop.join_code]))
    assert page.status_code == 403
    assert "removed from this workshop" in page.content.decode()
    response = join(client, workshop, "Not Mallory")
    assert response.status_code == 403
    assert "removed from this workshop" in response.content.decode()
    assert workshop.participants.count() == 1
    assert client.get(board_url(workshop, board)).status_code in (302, 403)


def test_a_removed_user_cannot_rejoin_from_another_browser(
    workshop, board, facilitator
):
    user = UserFactory()
    first = Client()
    first.force_login(user)
    join(first, workshop, "Käyttäjä")
    services.participant_remove(
        user=facilitator, participant=workshop.participants.get(user=user)
    )
    other = Client()
    other.force_login(user)
    response = join(other, workshop, "Toinen nimi")
    assert "removed from this workshop" in response.content.decode()
    assert workshop.participants.count() == 1


def test_the_facilitator_lists_removed_participants_and_readmits_them(
    client, fac_client, workshop, board, facilitator
):
    join(client, workshop, "Ville")
    ville = Participant.objects.get(display_name="Ville")
    fac_client.post(
        reverse("workshops:participant_remove", args=[workshop.pk, ville.pk])
    )
    page = fac_client.get(reverse("workshops:detail", args=[workshop.pk]))
    assert page.context["removed"][0] == ville
    assert "Readmit Ville" in page.content.decode()
    assert client.get(board_url(workshop, board)).status_code != 200

    response = fac_client.post(
        reverse("workshops:participant_readmit", args=[workshop.pk, ville.pk])
    )
    assert response.status_code == 302
    assert client.get(board_url(workshop, board)).status_code == 200
    page = fac_client.get(reverse("workshops:detail", args=[workshop.pk]))
    assert list(page.context["removed"]) == []


def test_only_facilitators_readmit(client, workshop, facilitator):
    mallory = services.participant_join(workshop=workshop, display_name="M")
    services.participant_remove(user=facilitator, participant=mallory)
    client.force_login(UserFactory())
    url = reverse("workshops:participant_readmit", args=[workshop.pk, mallory.pk])
    assert client.post(url).status_code == 403
    mallory.refresh_from_db()
    assert mallory.removed_at is not None


def test_a_removed_participant_cannot_read_unpublished_results(
    client, workshop, board, facilitator
):
    join(client, workshop, "Mallory")
    results = reverse("workshops:results", args=[workshop.pk])
    services.workshop_close(user=facilitator, workshop=workshop)
    assert client.get(results).status_code == 200  # a participant reads them
    services.participant_remove(
        user=facilitator, participant=Participant.objects.get(display_name="Mallory")
    )
    assert client.get(results).status_code in (403, 404)
    assert client.get(
        reverse("workshops:results_download", args=[workshop.pk, "csv"])
    ).status_code in (403, 404)


def test_closed_joining_refuses_new_people(client, workshop, facilitator):
    services.workshop_update(
        user=facilitator, workshop=workshop, joining=Joining.CLOSED
    )
    response = join(client, workshop, "Myöhäinen")
    assert response.status_code == 200
    assert "closed joining" in response.content.decode()
    assert workshop.participants.count() == 0


def test_joining_with_approval_waits_until_a_facilitator_admits(
    client, fac_client, workshop, board, facilitator
):
    services.workshop_update(
        user=facilitator, workshop=workshop, joining=Joining.APPROVAL
    )
    response = join(client, workshop, "Odottaja")
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert '<meta http-equiv="refresh"' in body and "admitted you" in body
    assert client.get(board_url(workshop, board)).status_code != 200
    # Asking again while waiting is the same request, not a second row.
    join(client, workshop, "Odottaja")
    assert workshop.participants.count() == 1

    waiting = workshop.participants.get()
    detail = fac_client.get(reverse("workshops:detail", args=[workshop.pk]))
    assert list(detail.context["pending"]) == [waiting]
    fac_client.post(
        reverse("workshops:participant_admit", args=[workshop.pk, waiting.pk]),
        {"admit": "1"},
    )
    after = client.get(reverse("workshops:join_code", args=[workshop.join_code]))
    assert after.status_code == 302
    assert client.get(board_url(workshop, board)).status_code == 200


def test_a_declined_joiner_is_removed(client, fac_client, workshop, facilitator):
    services.workshop_update(
        user=facilitator, workshop=workshop, joining=Joining.APPROVAL
    )
    join(client, workshop, "Ei")
    waiting = workshop.participants.get()
    fac_client.post(
        reverse("workshops:participant_admit", args=[workshop.pk, waiting.pk]),
        {"admit": "0"},
    )
    page = client.get(reverse("workshops:join_code", args=[workshop.join_code]))
    assert page.status_code == 403
    waiting.refresh_from_db()
    assert waiting.removed_at is not None and not waiting.pending


def test_admitting_respects_the_capacity(workshop, facilitator):
    services.workshop_update(
        user=facilitator, workshop=workshop, joining=Joining.APPROVAL, capacity=1
    )
    first = services.participant_join(workshop=workshop, display_name="Yksi")
    second = services.participant_join(workshop=workshop, display_name="Kaksi")
    assert first.pending and second.pending  # waiting takes no place
    services.participant_admit(user=facilitator, participant=first, admit=True)
    with pytest.raises(services.participants.Invalid) as refused:
        services.participant_admit(user=facilitator, participant=second, admit=True)
    assert refused.value.code == "full"


def test_a_room_of_thirty_behind_one_address_joins_and_a_flood_does_not(
    workshop, monkeypatch
):
    # One fixed minute: the limit counts per calendar minute, and a slow run
    # must not cross into the next one halfway.
    monkeypatch.setattr(
        ratelimit,
        "time",
        SimpleNamespace(time=lambda: 60_000_030.0, monotonic=time.monotonic),
    )
    for n in range(60):  # 30 people, each trying twice
        response = join(Client(REMOTE_ADDR="10.1.2.3"), workshop, f"Osallistuja {n}")
        assert response.status_code == 302, n
    response = join(Client(REMOTE_ADDR="10.1.2.3"), workshop, "Yksi liikaa")
    assert response.status_code == 200
    assert "Too many attempts" in response.content.decode()
    assert workshop.participants.count() == 60
    # Another address is not held up.
    assert join(Client(REMOTE_ADDR="10.9.9.9"), workshop, "Muu").status_code == 302
