"""Workshops and cards open only once the results are published."""

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from opendata.pseudonyms import pseudonym
from tests.factories import UserFactory
from tests.opendata.test_api import api_rows, download
from workshops import services
from workshops.models import Card


@pytest.fixture
def facilitator(city):
    user = UserFactory(display_name="Fasilitaattori Fanni", email="fanni@example.org")
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    return user


@pytest.fixture
def workshop(facilitator, city):
    workshop = services.workshop_create(
        user=facilitator, city=city, title="Kirjastojami", starts_at=timezone.now()
    )
    board = workshop.boards.get()
    column = board.columns.first()
    alice = services.participant_join(workshop=workshop, display_name="Alice Aaltonen")
    Card.objects.create(
        board=board, column=column, author=alice, text="=Lisää penkkejä"
    )
    Card.objects.create(
        board=board, column=column, author=alice, text="piilossa", hidden=True
    )
    return workshop, alice


def test_unpublished_workshop_never_leaks(client, workshop):
    assert api_rows(client, "workshops") == []
    assert api_rows(client, "cards") == []
    assert b"Kirjastojami" not in download(client, "workshops", "csv")


def test_published_results_open_and_withdrawal_tombstones(
    client, workshop, facilitator
):
    ws, alice = workshop
    services.workshop_close(user=facilitator, workshop=ws, summary="Hyvä jami")
    services.workshop_publish(user=facilitator, workshop=ws)
    [row] = api_rows(client, "workshops")
    assert row["title"] == "Kirjastojami" and row["city"] == "helsinki"
    cards = api_rows(client, "cards")
    assert [c["text"] for c in cards] == ["=Lisää penkkejä"]
    assert cards[0]["author"] == pseudonym(anonymous_key=alice.anonymous_key)
    assert cards[0]["workshop"] == ws.pk
    blob = b"".join(
        download(client, n, f) for n in ("cards", "workshops") for f in ("csv", "jsonl")
    )
    for secret in (b"Alice", b"Fanni", b"fanni@example.org", b"piilossa"):
        assert secret not in blob
    assert b"'=Lis" in download(client, "cards", "csv")
    since = cards[0]["updated_at"]
    services.workshop_publish(user=facilitator, workshop=ws, published=False)
    assert api_rows(client, "cards") == []
    stones = api_rows(client, "cards", updated_since=since)
    assert {s["id"] for s in stones if s.get("removed")} >= {c["id"] for c in cards}
    assert all(set(s) == {"id", "removed", "updated_at"} for s in stones)


def test_cards_query_count_is_fixed(
    client, workshop, facilitator, django_assert_max_num_queries
):
    ws, alice = workshop
    board = ws.boards.get()
    for i in range(20):
        Card.objects.create(
            board=board, column=board.columns.first(), author=alice, text=f"k{i}"
        )
    services.workshop_close(user=facilitator, workshop=ws)
    services.workshop_publish(user=facilitator, workshop=ws)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/cards/")
    assert len(response.json()["results"]) == 21


def test_cards_tell_which_dream_they_came_from_and_became(
    client, workshop, facilitator, city
):
    from tests.ideas.factories import DreamFactory

    ws, _ = workshop
    board = ws.boards.get()
    column = board.columns.first()
    dream = DreamFactory(city=city, title="Iltakirjasto")
    [placed] = services.cards_place_dreams(
        board=board, column=column, dreams=[dream], by=facilitator
    )
    written = Card.objects.get(text="=Lisää penkkejä")
    became = services.card_dream_create(
        workshop=ws,
        card=written,
        by=facilitator,
        title="Lisää penkkejä",
        city=city,
        target_group="everyone",
    )
    services.workshop_close(user=facilitator, workshop=ws)
    services.workshop_publish(user=facilitator, workshop=ws)
    rows = {row["id"]: row for row in api_rows(client, "cards")}
    assert rows[placed.pk]["from_dream"] == dream.pk
    assert rows[placed.pk]["became_dream"] is None
    assert rows[written.pk]["became_dream"] == became.pk
    assert rows[written.pk]["from_dream"] is None


def test_cards_tell_their_channel_in_every_format(client, workshop, facilitator):
    import csv
    import io
    import json

    ws, alice = workshop
    board = ws.boards.get()
    [paper] = services.cards_enter_paper(
        user=facilitator,
        board=board,
        column=board.columns.first(),
        text="Penkki kirjaston eteen",
        meeting="Kontulan kirjasto",
    )
    services.workshop_close(user=facilitator, workshop=ws)
    services.workshop_publish(user=facilitator, workshop=ws)
    rows = {row["id"]: row for row in api_rows(client, "cards")}
    online = Card.objects.get(text="=Lisää penkkejä")
    assert rows[paper.pk]["channel"] == "in_person"
    assert rows[paper.pk]["author"] == "removed"  # nobody is known
    assert rows[online.pk]["channel"] == "online"
    table = csv.DictReader(io.StringIO(download(client, "cards", "csv").decode()))
    assert {int(r["id"]): r["channel"] for r in table} == {
        paper.pk: "in_person",
        online.pk: "online",
    }
    lines = download(client, "cards", "jsonl").decode().splitlines()
    assert {json.loads(line)["channel"] for line in lines} == {"in_person", "online"}
    schema = client.get("/api/v1/schema/?format=json").json()
    channel = schema["components"]["schemas"]["CardsRow"]["properties"]["channel"]
    assert channel["type"] == "string" and "in_person" in channel["description"]
