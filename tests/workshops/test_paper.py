"""Paper cards from physical meetings (`workshops.services.paper`): bulk entry
through the board's own `card.add`, all or nothing, and ordinary cards after."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.errors import Invalid
from tests.factories import UserFactory
from workshops import selectors, services
from workshops.models import (
    CARD_TEXT_MAX,
    CARDS_PER_BOARD_MAX,
    Board,
    BoardEvent,
    Card,
    Channel,
    Phase,
    Vote,
)
from workshops.protocol import Message
from workshops.services.paper import PAPER_CARDS_MAX, PAPER_TEXT_MAX

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def enter(facilitator, board, column, text, **kwargs):
    kwargs.setdefault("meeting", "Kontula library, evening")
    return services.cards_enter_paper(
        user=facilitator, board=board, column=column, text=text, **kwargs
    )


def nothing_written() -> bool:
    return not Card.objects.exists() and not BoardEvent.objects.exists()


def test_each_line_becomes_an_in_person_card_without_author_with_its_event(
    facilitator, board, columns, django_capture_on_commit_callbacks
):
    text = "More benches\r\n\n  <b>Longer</b>   opening hours \n\n\nA quiet room\n"
    with django_capture_on_commit_callbacks() as callbacks:
        cards = enter(
            facilitator,
            board,
            columns[1],
            text,
            meeting=" Kontula  library ",
            meeting_on=datetime.date(2026, 12, 1),
        )
    assert [c.text for c in cards] == [
        "More benches",
        "<b>Longer</b> opening hours",  # kept as typed, escaped on output
        "A quiet room",
    ]
    assert [c.position for c in cards] == [0, 1, 2]
    for card in cards:
        card.refresh_from_db()
        assert card.author is None
        assert card.channel == Channel.IN_PERSON
        assert card.meeting == "Kontula library"
        assert card.meeting_on == datetime.date(2026, 12, 1)
        assert card.column == columns[1]
        assert card.language == board.workshop.language
    # One numbered `card.added` per card, broadcast after commit, nobody's own.
    events = list(BoardEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert {e.type for e in events} == {"card.added"}
    assert events[0].payload["card"]["channel"] == "in_person"
    assert events[0].payload["card"]["author"] == ""
    assert events[0].payload["card"]["meeting"] == "Kontula library"
    assert events[0].participant.user == facilitator
    assert len(callbacks) == 3


def test_paper_cards_are_ordinary_cards_votes_clusters_results(
    facilitator, workshop, board, columns, alice
):
    [card, other] = enter(facilitator, board, columns[0], "Benches\nLamps")
    access = services.BoardAccess(board.pk, workshop.pk, alice.pk, "Alice", False)
    # Others' cards are clustered in the clustering phase and voted in voting.
    for phase, kind, fields in (
        (Phase.CLUSTER, "card.group", {"card": card.pk, "group": "Outdoors"}),
        (Phase.VOTE, "vote.cast", {"card": card.pk}),
    ):
        Board.objects.filter(pk=board.pk).update(phase=phase)
        message = Message(type=kind, op=kind, fields=fields)
        services.board_change(access=access, user=None, message=message)
    assert Vote.objects.get().card == card
    card.refresh_from_db()
    assert card.group == "Outdoors"
    services.workshop_close(user=facilitator, workshop=workshop)
    rows = selectors.result_rows(workshop=workshop)
    assert [(r["text"], r["votes"], r["channel"]) for r in rows] == [
        ("Benches", 1, "in_person"),
        ("Lamps", 0, "in_person"),
    ]


def test_in_silent_writing_paper_cards_stay_hidden_from_everyone_until_reveal(
    facilitator, board, columns
):
    board.phase = Phase.SILENT
    board.save()
    [card] = enter(facilitator, board, columns[0], "Secret idea")
    assert card.hidden
    event = BoardEvent.objects.get()
    assert event.private_to is None  # nobody's own: withheld for all
    assert services.redact(event.payload)["card"]["text"] is None


def test_empty_text_is_refused(facilitator, board, columns):
    with pytest.raises(Invalid) as caught:
        enter(facilitator, board, columns[0], "\n   \n\u202e\n")
    assert caught.value.code == "empty"
    assert nothing_written()


def test_a_line_too_long_refuses_the_batch_and_names_the_line(
    facilitator, board, columns
):
    text = "fine\n\n" + "x" * (CARD_TEXT_MAX + 1) + "\nalso fine"
    with pytest.raises(ValidationError) as caught:
        enter(facilitator, board, columns[0], text)
    assert caught.value.code == "too_long"
    assert "Line 3 " in caught.value.messages[0]
    assert nothing_written()
    # Exactly the limit is a card.
    assert len(enter(facilitator, board, columns[0], "y" * CARD_TEXT_MAX)) == 1


def test_too_many_lines_are_refused(facilitator, board, columns):
    text = "\n".join(f"card {n}" for n in range(PAPER_CARDS_MAX + 1))
    with pytest.raises(Invalid) as caught:
        enter(facilitator, board, columns[0], text)
    assert caught.value.code == "too_many"
    assert nothing_written()
    with pytest.raises(Invalid) as caught:
        enter(facilitator, board, columns[0], "x" * (PAPER_TEXT_MAX + 1))
    assert caught.value.code == "too_large"


def test_a_full_board_takes_none_of_the_batch(facilitator, board, columns):
    Card.objects.bulk_create(
        Card(board=board, column=columns[0], text=f"k{n}")
        for n in range(CARDS_PER_BOARD_MAX - 1)
    )
    with pytest.raises(Invalid) as caught:
        enter(facilitator, board, columns[0], "one\ntwo")
    assert caught.value.code == "board_full"
    assert Card.objects.count() == CARDS_PER_BOARD_MAX - 1
    assert not BoardEvent.objects.exists()


def test_the_meeting_must_be_named(facilitator, board, columns):
    with pytest.raises(Invalid) as caught:
        enter(facilitator, board, columns[0], "card", meeting="  ")
    assert caught.value.code == "empty"
    with pytest.raises(Invalid) as caught:
        enter(facilitator, board, columns[0], "card", meeting="m" * 121)
    assert caught.value.code == "too_long"
    assert nothing_written()


@pytest.mark.parametrize("who", ["stranger", "participant_user", "anonymous"])
def test_only_facilitators_enter_paper(who, workshop, board, columns):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else UserFactory()
    if who == "participant_user":
        services.participant_join(workshop=workshop, display_name="P", user=user)
    with pytest.raises(PermissionDenied):
        enter(user, board, columns[0], "card")
    assert nothing_written()


def test_a_locked_board_refuses_paper(facilitator, board, columns):
    board.locked = True
    board.save()
    with pytest.raises(Invalid) as caught:
        enter(facilitator, board, columns[0], "card")
    assert caught.value.code == "locked"
    assert nothing_written()


def test_a_closed_workshop_refuses_paper(facilitator, workshop, board, columns):
    services.workshop_close(user=facilitator, workshop=workshop)
    board.refresh_from_db()
    before = BoardEvent.objects.count()
    with pytest.raises(Invalid) as caught:
        enter(facilitator, board, columns[0], "card")
    assert caught.value.code == "closed"
    assert not Card.objects.exists()
    assert BoardEvent.objects.count() == before


def test_a_column_of_another_board_is_refused(facilitator, workshop, board, city):
    other = services.workshop_create(
        user=facilitator, city=city, title="Other", starts_at=workshop.starts_at
    )
    with pytest.raises(Invalid):
        enter(facilitator, board, other.boards.get().columns.first(), "card")
    assert nothing_written()
