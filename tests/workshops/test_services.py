"""Workshop services: templates, authorisation, and the numbered event log."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import Forbidden
from tests.factories import UserFactory
from workshops import services
from workshops.models import Board, BoardEvent, Method, Phase, Workshop
from workshops.protocol import FORBIDDEN, LOCKED, Message, ProtocolError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "columns"),
    [
        (Method.SERVICE_JAM, ["Who", "Need", "Idea", "Prototype"]),
        (Method.BRAINSTORMING, ["Ideas", "Questions", "Next steps"]),
        (
            Method.CUSTOMER_PANEL,
            ["What works", "What does not work", "What to improve"],
        ),
        (
            Method.SERVICE_BLUEPRINT,
            ["Customer actions", "Front stage", "Back stage", "Support processes"],
        ),
        (Method.KEEP_CHANGE_START, ["Keep", "Change", "Start"]),
    ],
)
def test_method_templates(facilitator, city, method, columns):
    workshop = services.workshop_create(
        user=facilitator,
        city=city,
        title="T",
        starts_at=timezone.now(),
        method=method,
        language="en",
    )
    board = workshop.boards.get()
    assert list(board.columns.values_list("title", flat=True)) == columns
    assert list(workshop.facilitators.all()) == [facilitator]


def test_only_city_facilitators_create(city, other_city, facilitator):
    with pytest.raises(Forbidden):
        services.workshop_create(
            user=UserFactory(), city=city, title="T", starts_at=timezone.now()
        )
    with pytest.raises(Forbidden):
        services.workshop_create(
            user=facilitator, city=other_city, title="T", starts_at=timezone.now()
        )
    with pytest.raises(ValidationError):
        services.workshop_create(
            user=facilitator, city=city, title="\u202e ", starts_at=timezone.now()
        )
    assert not Workshop.objects.exists()


def test_facilitator_actions_need_a_facilitator(workshop, board, alice):
    outsider = UserFactory()
    column = board.columns.first()
    for call in (
        lambda: services.column_add(user=outsider, board=board, title="x"),
        lambda: services.column_rename(user=outsider, column=column, title="x"),
        lambda: services.column_move(user=outsider, column=column, offset=1),
        lambda: services.participant_remove(user=outsider, participant=alice),
        lambda: services.workshop_close(user=outsider, workshop=workshop),
        lambda: services.workshop_publish(user=outsider, workshop=workshop),
    ):
        with pytest.raises(Forbidden):
            call()
    assert board.columns.count() == 4 and not BoardEvent.objects.exists()


def test_close_locks_boards_in_the_log_and_refuses_changes(
    workshop, board, facilitator, alice
):
    services.workshop_close(user=facilitator, workshop=workshop, summary="Done")
    board.refresh_from_db()
    assert board.locked and board.seq == 1
    assert BoardEvent.objects.get().type == "board.locked"
    access = services.board_access(board=board, user=None, session=None)
    assert access is None  # no session: not a participant
    access = services.BoardAccess(board.pk, workshop.pk, alice.pk, "Alice", False)
    message = Message(
        type="card.add",
        op="late",
        fields={"column": board.columns.first().pk, "text": "late"},
    )
    with pytest.raises(ProtocolError) as error:
        services.board_change(access=access, user=None, message=message)
    assert error.value.code == LOCKED
    with pytest.raises(ValidationError):
        services.participant_join(workshop=workshop, display_name="Late")


def test_removed_participant_cannot_change_or_rejoin(workshop, board, facilitator):
    user = UserFactory()
    participant = services.participant_join(
        workshop=workshop, display_name="U", user=user
    )
    services.participant_remove(user=facilitator, participant=participant)
    access = services.BoardAccess(board.pk, workshop.pk, participant.pk, "U", False)
    message = Message(type="vote.cast", op="v", fields={"card": 1})
    with pytest.raises(ProtocolError) as error:
        services.board_change(access=access, user=user, message=message)
    assert error.value.code == FORBIDDEN
    with pytest.raises(Forbidden):
        services.participant_join(workshop=workshop, display_name="Again", user=user)
    assert Board.objects.get(pk=board.pk).seq == 1  # participant.removed only


# --- The cost of a change ----------------------------------------------------------


def _change(board, participant, kind, op, **fields):
    access = services.BoardAccess(
        board.pk, board.workshop_id, participant.pk, participant.display_name, False
    )
    message = Message(type=kind, op=op, fields=fields)
    return services.board_change(access=access, user=None, message=message)


@pytest.mark.django_db(transaction=True)  # BEGIN … COMMIT as in production
def test_a_change_costs_a_fixed_handful_of_queries(
    board, columns, alice, django_assert_max_num_queries
):
    # Counted on SQLite with BEGIN and COMMIT; PostgreSQL logs fewer.
    _change(board, alice, "card.add", "a0", column=columns[0].pk, text="first")
    with django_assert_max_num_queries(7):
        added = _change(board, alice, "card.add", "a1", column=columns[0].pk, text="x")
    card = BoardEvent.objects.get(seq=added.seq).payload["card"]
    Board.objects.filter(pk=board.pk).update(phase=Phase.VOTE)
    with django_assert_max_num_queries(9):
        _change(
            board, alice, "card.move", "m1", card=card["id"], column=columns[1].pk,
            position=0, version=1,
        )  # fmt: skip
    with django_assert_max_num_queries(7):
        voted = _change(board, alice, "vote.cast", "v1", card=card["id"])
    with django_assert_max_num_queries(4):
        again = _change(board, alice, "vote.cast", "v1", card=card["id"])
    assert again == services.Applied(op="v1", seq=voted.seq, duplicate=True)
    event = BoardEvent.objects.get(seq=voted.seq).payload
    assert event == {
        "type": "vote.cast",
        "card": card["id"],
        "votes": 1,
        "participant": alice.pk,
        "my_votes": 1,
        "votes_left": 4,
    }


@pytest.mark.django_db(transaction=True)
def test_retried_or_refused_changes_leave_no_gap_in_seq(board, columns, alice):
    Board.objects.filter(pk=board.pk).update(vote_budget=1, phase=Phase.VOTE)
    added = _change(board, alice, "card.add", "a", column=columns[0].pk, text="x")
    card = BoardEvent.objects.get(seq=added.seq).payload["card"]["id"]
    voted = _change(board, alice, "vote.cast", "v1", card=card)
    _change(board, alice, "card.add", "a", column=columns[0].pk, text="x")  # retry
    with pytest.raises(ProtocolError) as error:
        _change(board, alice, "vote.cast", "v2", card=card)  # over the budget
    assert error.value.code == FORBIDDEN
    with pytest.raises(ProtocolError):
        _change(board, alice, "card.add", "b", column=columns[0].pk + 999, text="x")
    following = _change(board, alice, "card.add", "c", column=columns[0].pk, text="y")
    assert (added.seq, voted.seq, following.seq) == (1, 2, 3)
    assert list(BoardEvent.objects.values_list("seq", flat=True)) == [1, 2, 3]
    assert Board.objects.get(pk=board.pk).seq == 3


def test_the_database_refuses_a_workshop_that_ends_before_it_starts(workshop):
    """The services say so to the facilitator; the constraint holds for scripts,
    the admin and any future path too."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(ends_at=workshop.starts_at)
    workshop.refresh_from_db()
    assert workshop.ends_at is None or workshop.ends_at > workshop.starts_at
