"""Service dreams and workshop cards: placing dreams on a board, turning cards into
dreams, and the column edits that are now numbered board events."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.models import Role
from accounts.services import role_grant
from core.errors import Forbidden
from ideas.models import Dream, DreamLink, DreamSource, DreamStatus, DreamStatusChange
from tests.broadcasts import decoded
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory
from workshops import services
from workshops.models import (
    CARD_TEXT_MAX,
    CARDS_PER_BOARD_MAX,
    Board,
    BoardEvent,
    Card,
    Phase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Pages and messages in English (`reverse` gives the /en/ addresses)."""
    with translation.override("en"):
        yield


def nothing_written(*dreams, cards: int = 0) -> bool:
    """No card, event, link or status change was left behind."""
    for dream in dreams:
        dream.refresh_from_db()
    return (
        Card.objects.count() == cards
        and not BoardEvent.objects.exists()
        and not DreamLink.objects.exists()
        and not DreamStatusChange.objects.exists()
    )


# --- Placing dreams onto a board ----------------------------------------------------


def test_placed_dreams_become_numbered_sanitised_cards(
    workshop, board, columns, facilitator, city, django_capture_on_commit_callbacks
):
    new = DreamFactory(city=city, description="Kirjasto <b>auki</b> iltaisin.")
    planned = DreamFactory(city=None, status=DreamStatus.IN_PLANNING)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cards = services.cards_place_dreams(
            board=board, column=columns[2], dreams=[new, planned], by=facilitator
        )
    assert [c.from_dream_id for c in cards] == [new.pk, planned.pk]
    first = cards[0]
    # The dream's text as typed (#12), markup characters and all.
    assert first.text == f"{new.title}\n\n{new.description}"
    assert [c.column_id for c in cards] == [columns[2].pk] * 2
    assert [c.position for c in cards] == [0, 1]
    assert {c.color for c in cards} == {"blue"}
    me = services.participant_for_facilitator(workshop=workshop, user=facilitator)
    assert {c.author_id for c in cards} == {me.pk}
    events = list(BoardEvent.objects.order_by("seq"))
    assert [(e.seq, e.type) for e in events] == [(1, "card.added"), (2, "card.added")]
    assert [e.payload["card"]["from_dream"] for e in events] == [new.pk, planned.pk]
    assert Board.objects.get(pk=board.pk).seq == 2
    # The new dream was taken to the workshop, publicly and with its dreamer told.
    new.refresh_from_db()
    planned.refresh_from_db()
    assert new.status == DreamStatus.IN_WORKSHOP
    change = new.status_changes.get()
    assert change.changed_by == facilitator
    assert "Kirjastojami <script>alert(1)</script>" in change.reason  # as typed
    assert planned.status == DreamStatus.IN_PLANNING  # already further along
    assert not planned.status_changes.exists()
    assert set(DreamLink.objects.values_list("dream_id", "workshop_id")) == {
        (new.pk, workshop.pk),
        (planned.pk, workshop.pk),
    }
    assert [m.to for m in mail.outbox] == [[new.author.email]]
    assert len(callbacks) >= 3  # two broadcasts and the e-mail, after commit


def test_long_dream_is_trimmed_to_the_card_limit(board, columns, facilitator, city):
    dream = DreamFactory(city=city, title="Iltabussi", description="sana " * 900)
    (card,) = services.cards_place_dreams(
        board=board, column=columns[0], dreams=[dream], by=facilitator
    )
    assert len(card.text) <= CARD_TEXT_MAX
    assert card.text.startswith("Iltabussi\n\nsana sana")
    assert card.text.endswith("sana…")


def test_dream_dict_in_the_event_matches_the_protocol_card(
    board, columns, facilitator, city
):
    dream = DreamFactory(city=city)
    (card,) = services.cards_place_dreams(
        board=board, column=columns[0], dreams=[dream], by=facilitator
    )
    event = BoardEvent.objects.get()
    assert event.payload["card"] == services.card_data(card)
    assert event.private_to_id is None


@pytest.mark.parametrize(
    "case",
    [
        "other_city",
        "merged",
        "not_pursued",
        "already_on_board",
        "empty",
        "too_many",
        "foreign_column",
        "closed_workshop",
    ],
)
def test_placing_refuses_bad_inputs_and_writes_nothing(
    case, workshop, board, columns, facilitator, city, other_city
):
    good = DreamFactory(city=city)
    dreams = [good]
    column = columns[0]
    existing = 0
    if case == "other_city":
        dreams.append(DreamFactory(city=other_city))
    elif case == "merged":
        dreams.append(DreamFactory(city=city, status=DreamStatus.MERGED))
    elif case == "not_pursued":
        dreams.append(DreamFactory(city=city, status=DreamStatus.NOT_PURSUED))
    elif case == "already_on_board":
        Card.objects.create(
            board=board, column=columns[1], text="earlier", from_dream=good
        )
        existing = 1
    elif case == "empty":
        dreams = []
    elif case == "too_many":
        dreams += [
            DreamFactory(city=city) for _ in range(services.DREAMS_PER_PLACEMENT_MAX)
        ]
    elif case == "foreign_column":
        other = services.workshop_create(
            user=facilitator, city=city, title="Toinen", starts_at=timezone.now()
        )
        column = other.boards.get().columns.first()
    elif case == "closed_workshop":
        Board.objects.filter(pk=board.pk).update(locked=True)
        workshop.closed_at = timezone.now()
        workshop.save()
    with pytest.raises(ValidationError) as error:
        services.cards_place_dreams(
            board=board, column=column, dreams=dreams, by=facilitator
        )
    assert " ".join(error.value.messages)
    if case == "already_on_board":
        assert "is already on this board" in error.value.messages[0]
    assert nothing_written(*dreams, cards=existing)
    assert good.status == DreamStatus.NEW


def test_placing_needs_a_facilitator_of_the_city(workshop, board, columns, city, alice):
    dream = DreamFactory(city=city)
    for user in (UserFactory(), alice.user, None):
        with pytest.raises(Forbidden):
            services.cards_place_dreams(
                board=board, column=columns[0], dreams=[dream], by=user
            )
    # A workshop's listed facilitator without the city role may run the board,
    # but not move the city's dreams.
    helper = UserFactory()
    workshop.facilitators.add(helper)
    with pytest.raises(Forbidden):
        services.cards_place_dreams(
            board=board, column=columns[0], dreams=[dream], by=helper
        )
    assert nothing_written(dream)
    assert dream.status == DreamStatus.NEW


def test_card_cap_reached_part_way_places_none(board, columns, facilitator, city):
    Card.objects.bulk_create(
        Card(board=board, column=columns[0], text="x", position=i)
        for i in range(CARDS_PER_BOARD_MAX - 1)
    )
    dreams = [DreamFactory(city=city), DreamFactory(city=city)]
    with pytest.raises(ValidationError) as error:
        services.cards_place_dreams(
            board=board, column=columns[1], dreams=dreams, by=facilitator
        )
    assert "room for 1 more" in error.value.messages[0]
    assert nothing_written(*dreams, cards=CARDS_PER_BOARD_MAX - 1)
    assert all(d.status == DreamStatus.NEW for d in dreams)
    # One still fits, and then the board is full.
    services.cards_place_dreams(
        board=board, column=columns[1], dreams=dreams[:1], by=facilitator
    )
    assert Card.objects.count() == CARDS_PER_BOARD_MAX
    with pytest.raises(ValidationError):
        services.cards_place_dreams(
            board=board, column=columns[1], dreams=dreams[1:], by=facilitator
        )


def test_locked_board_still_takes_a_facilitators_dreams(
    board, columns, facilitator, city
):
    Board.objects.filter(pk=board.pk).update(locked=True)
    (card,) = services.cards_place_dreams(
        board=board, column=columns[0], dreams=[DreamFactory(city=city)], by=facilitator
    )
    assert card.pk and BoardEvent.objects.get().type == "card.added"


def test_silent_writing_hides_placed_dreams_from_the_others(
    workshop, board, columns, facilitator, city
):
    Board.objects.filter(pk=board.pk).update(phase=Phase.SILENT)
    dream = DreamFactory(city=city)
    (card,) = services.cards_place_dreams(
        board=board, column=columns[0], dreams=[dream], by=facilitator
    )
    assert card.hidden
    event = BoardEvent.objects.get()
    me = services.participant_for_facilitator(workshop=workshop, user=facilitator)
    assert event.private_to_id == me.pk
    seen_by_others = services.redact(event.payload)["card"]
    assert seen_by_others["text"] is None and seen_by_others["from_dream"] is None
    assert event.payload["card"]["from_dream"] == dream.pk


def test_the_log_reads_a_private_event_back_as_it_was_broadcast(
    board, columns, facilitator, city, monkeypatch, django_capture_on_commit_callbacks
):
    """A hub filling a gap from the log sends what the broadcast would have: the
    author's whole copy beside everyone else's redacted one."""
    Board.objects.filter(pk=board.pk).update(phase=Phase.SILENT)
    sent = []
    monkeypatch.setattr(
        "core.realtime.streams.group_send", lambda batch: sent.extend(batch)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cards_place_dreams(
            board=board,
            column=columns[0],
            dreams=[DreamFactory(city=city)],
            by=facilitator,
        )
    ((_group, broadcast),) = sent
    assert broadcast["private_to"] and broadcast["private_text"] != broadcast["text"]
    seq = broadcast["seq"]
    (read_back,) = services.BOARDS.logged_broadcasts(board.pk, seq, seq + 1)
    assert decoded(read_back) == decoded(broadcast)  # JSON keys in any order


# --- Turning a card into a dream -----------------------------------------------------


@pytest.fixture
def card(board, columns, alice):
    return Card.objects.create(
        board=board,
        column=columns[2],
        author=alice,
        text="Digituutorit kirjastoon <b>iltaisin</b>\nkahtena päivänä viikossa",
    )


def test_card_becomes_a_dream_once(workshop, card, facilitator, city):
    assert services.dream_title_from_card(card.text) == (
        "Digituutorit kirjastoon <b>iltaisin</b>"
    )
    dream = services.card_dream_create(
        workshop=workshop,
        card=card,
        by=facilitator,
        title="Digituutorit <script>x</script>iltaisin",
        city=city,
        target_group="seniors",
    )
    assert dream.title == "Digituutorit <script>x</script>iltaisin"
    # As typed, like any dream (#12: text as typed).
    assert dream.description == (
        "Digituutorit kirjastoon <b>iltaisin</b>\nkahtena päivänä viikossa"
    )
    assert dream.source == DreamSource.WORKSHOP and dream.author is None
    assert dream.city == city and dream.language == workshop.language
    card.refresh_from_db()
    assert card.became_dream == dream
    link = DreamLink.objects.get(dream=dream)
    assert link.workshop_id == workshop.pk
    with pytest.raises(ValidationError) as error:
        services.card_dream_create(
            workshop=workshop,
            card=card,
            by=facilitator,
            title="Again",
            city=city,
            target_group="everyone",
        )
    assert error.value.messages == [f"This card already became dream #{dream.pk}."]
    assert Dream.objects.count() == 1


def test_card_can_become_an_all_cities_dream(workshop, card, facilitator):
    dream = services.card_dream_create(
        workshop=workshop,
        card=card,
        by=facilitator,
        title="Digituki iltaisin",
        city=None,
        target_group="everyone",
        description="Muokattu kuvaus työpajasta.",
    )
    assert dream.city is None and dream.description == "Muokattu kuvaus työpajasta."


@pytest.mark.parametrize(
    "case", ["resident", "participant", "other_workshop", "hidden", "city", "title"]
)
def test_card_to_dream_refusals_write_nothing(
    case, workshop, card, facilitator, city, other_city, alice
):
    kwargs = {
        "workshop": workshop,
        "card": card,
        "by": facilitator,
        "title": "Digituki iltaisin",
        "city": city,
        "target_group": "everyone",
    }
    expected = ValidationError
    if case == "resident":
        kwargs["by"], expected = UserFactory(), Forbidden
    elif case == "participant":
        user = UserFactory()
        services.participant_join(workshop=workshop, display_name="U", user=user)
        kwargs["by"], expected = user, Forbidden
    elif case == "other_workshop":
        kwargs["workshop"] = services.workshop_create(
            user=facilitator, city=city, title="Toinen", starts_at=timezone.now()
        )
    elif case == "hidden":
        Card.objects.filter(pk=card.pk).update(hidden=True)
    elif case == "city":
        role_grant(user=facilitator, city=other_city, role=Role.FACILITATOR)
        kwargs["city"] = other_city
    elif case == "title":
        kwargs["title"] = "\u202e\u2066"  # nothing left once cleaned
    with pytest.raises(expected):
        services.card_dream_create(**kwargs)
    card.refresh_from_db()
    assert card.became_dream is None
    assert not Dream.objects.exists() and not DreamLink.objects.exists()


def test_listed_facilitator_without_city_role_cannot_publish_dreams(
    workshop, card, city
):
    helper = UserFactory()
    workshop.facilitators.add(helper)
    # The ideas rule refuses (a plain PermissionDenied, which Forbidden is too).
    with pytest.raises(PermissionDenied, match="facilitators"):
        services.card_dream_create(
            workshop=workshop,
            card=card,
            by=helper,
            title="Digituki iltaisin",
            city=city,
            target_group="everyone",
        )
    assert not Dream.objects.exists()


# --- Column edits are board events ---------------------------------------------------


def test_column_edits_are_numbered_events(board, columns, facilitator):
    column = services.column_add(user=facilitator, board=board, title="Testaus <b>")
    services.column_rename(user=facilitator, column=columns[0], title="Kenelle")
    services.column_rename(user=facilitator, column=columns[0], title="Kenelle")
    services.column_move(user=facilitator, column=columns[0], offset=-1)  # at the edge
    services.column_move(user=facilitator, column=column, offset=-2)
    events = list(BoardEvent.objects.order_by("seq"))
    assert [(e.seq, e.type) for e in events] == [
        (1, "column.added"),
        (2, "column.renamed"),
        (3, "columns.reordered"),
    ]
    assert events[0].payload["column"] == {
        "id": column.pk,
        "title": "Testaus <b>",
        "position": 4,
    }
    assert events[1].payload["column"]["title"] == "Kenelle"
    order = [c["id"] for c in events[2].payload["columns"]]
    assert order == [
        columns[0].pk,
        columns[1].pk,
        column.pk,
        columns[2].pk,
        columns[3].pk,
    ]
    assert [c["position"] for c in events[2].payload["columns"]] == [0, 1, 2, 3, 4]
    assert list(board.columns.values_list("pk", flat=True)) == order
    assert Board.objects.get(pk=board.pk).seq == 3


def test_column_edits_refused_write_no_event(board, columns, facilitator):
    with pytest.raises(ValidationError):
        services.column_add(user=facilitator, board=board, title="\u202e\u2066")
    with pytest.raises(ValidationError):
        services.column_rename(user=facilitator, column=columns[0], title=" ")
    assert not BoardEvent.objects.exists() and board.columns.count() == 4
