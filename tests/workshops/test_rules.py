"""The workshops rules as role × state matrices, and every branch of the others."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories import UserFactory
from workshops import services
from workshops.models import Card, Phase
from workshops.rules import BOARD_ACTIONS, FACILITATOR_ACTIONS, Seat, Visit, board_can

pytestmark = pytest.mark.django_db

PARTICIPANT_ACTIONS = set(BOARD_ACTIONS) - FACILITATOR_ACTIONS
OWN_CARD_ACTIONS = {"card.edit", "card.delete"}
# Others' cards: these also for everyone in the clustering phase.
CLUSTER_PHASE_ACTIONS = {"card.move", "card.group"}
CARD_ACTIONS = OWN_CARD_ACTIONS | CLUSTER_PHASE_ACTIONS
# Only while voting is open: in the vote phase unless a facilitator says otherwise.
VOTE_ACTIONS = {"vote.cast", "vote.retract"}


@pytest.fixture
def listed_facilitator(workshop):
    user = UserFactory()
    workshop.facilitators.add(user)
    return user


@pytest.fixture
def member(workshop):
    """A logged-in participant without any role."""
    user = UserFactory()
    services.participant_join(workshop=workshop, display_name="Member", user=user)
    return user


def seat_for(board, participant, *, locked=False, closed=False):
    board.refresh_from_db()
    board.locked = locked
    workshop = board.workshop
    workshop.closed_at = timezone.now() if closed else None
    workshop.__dict__.pop("_facilitator_of", None)
    return Seat(board=board, participant=participant)


def expected(
    action, *, facilitator, removed, locked, closed, own=True, phase=Phase.OPEN
) -> bool:
    if removed:
        return False
    if action == "board.lock":
        return facilitator
    if action in FACILITATOR_ACTIONS:
        return facilitator and not closed
    if closed or (locked and not facilitator):
        return False
    if action in VOTE_ACTIONS:
        return phase == Phase.VOTE
    if action in OWN_CARD_ACTIONS and not own:
        return facilitator
    if action in CLUSTER_PHASE_ACTIONS and not own:
        return facilitator or phase == Phase.CLUSTER
    return True


@pytest.mark.parametrize("who", ["city", "listed", "anonymous", "member", "removed"])
@pytest.mark.parametrize("state", ["open", "locked", "closed"])
def test_board_actions_matrix(
    who, state, workshop, board, facilitator, listed_facilitator, member, alice
):
    """Role × board state × phase × own/other card (the clustering phase opens
    others' cards to moving and clustering; silent writing hides new cards)."""
    users = {
        "city": facilitator,
        "listed": listed_facilitator,
        "anonymous": AnonymousUser(),
        "member": member,
        "removed": AnonymousUser(),
    }
    user = users[who]
    if who in ("city", "listed"):
        participant = services.participant_for_facilitator(workshop=workshop, user=user)
    elif who == "member":
        participant = workshop.participants.get(user=member)
    else:
        participant = alice
    if who == "removed":
        services.participant_remove(user=facilitator, participant=alice)
        participant.refresh_from_db()
    flags = {
        "facilitator": who in ("city", "listed"),
        "removed": who == "removed",
        "locked": state == "locked",
        "closed": state == "closed",
    }
    column = board.columns.first()
    others = Card.objects.create(board=board, column=column, author=None, text="x")
    own = Card.objects.create(board=board, column=column, author=participant, text="y")
    for phase in Phase.values:
        seat = seat_for(
            board, participant, locked=flags["locked"], closed=flags["closed"]
        )
        seat.board.phase = phase
        can = board_can(user, seat)
        wanted_can = {a: expected(a, phase=phase, **flags) for a in BOARD_ACTIONS}
        assert can == wanted_can, phase
        for action in CARD_ACTIONS:
            name = BOARD_ACTIONS[action]
            on_others = rules.has_perm(name, user, seat.at(others))
            wanted = expected(action, own=False, phase=phase, **flags)
            assert on_others == wanted, (action, phase)
            on_own = rules.has_perm(name, user, seat.at(own))
            wanted = expected(action, own=True, phase=phase, **flags)
            assert on_own == wanted, (action, phase)


@pytest.mark.parametrize(
    ("phase", "choice", "open_"),
    [
        (Phase.VOTE, None, True),
        (Phase.DISCUSS, None, False),
        (Phase.DISCUSS, True, True),
        (Phase.VOTE, False, False),
    ],
)
def test_voting_follows_the_phase_unless_a_facilitator_chose(
    board, alice, phase, choice, open_
):
    board.phase, board.voting_choice = phase, choice
    seat = Seat(board=board, participant=alice)
    assert board.voting_open is open_
    can = board_can(AnonymousUser(), seat)
    assert can["vote.cast"] is open_
    assert can["vote.retract"] is open_


def test_no_votes_on_hidden_cards_nor_beyond_the_budget(board, alice):
    board.phase = Phase.VOTE
    column = board.columns.first()
    hidden = Card.objects.create(board=board, column=column, text="h", hidden=True)
    shown = Card.objects.create(board=board, column=column, text="s")
    anonymous = AnonymousUser()
    seat = Seat(board=board, participant=alice, votes_left=1)
    assert rules.has_perm("workshops.cast_vote", anonymous, seat.at(shown))
    assert not rules.has_perm("workshops.cast_vote", anonymous, seat.at(hidden))
    # A dot on a hidden card (cast before this rule) can still be taken back.
    assert rules.has_perm("workshops.retract_vote", anonymous, seat.at(hidden))
    spent = Seat(board=board, participant=alice, votes_left=0)
    assert not rules.has_perm("workshops.cast_vote", anonymous, spent.at(shown))
    assert board_can(anonymous, spent)["vote.cast"] is False
    assert board_can(anonymous, spent)["vote.retract"] is True


def test_a_locked_board_allows_a_participant_no_change(board, alice):
    board.phase, board.locked = Phase.VOTE, True
    can = board_can(AnonymousUser(), Seat(board=board, participant=alice, votes_left=3))
    assert not any(can.values()), can


def test_the_facilitator_check_reads_once_per_workshop_row(
    board, listed_facilitator, django_assert_num_queries
):
    workshop = board.workshop
    with django_assert_num_queries(2):  # the user's roles, then the listing
        assert rules.has_perm("workshops.run_workshop", listed_facilitator, workshop)
    with django_assert_num_queries(0):
        assert rules.has_perm("workshops.run_workshop", listed_facilitator, workshop)


# --- run_workshop, create_workshop -------------------------------------------------


def test_run_workshop(workshop, facilitator, listed_facilitator, member, other_city):
    assert rules.has_perm("workshops.run_workshop", facilitator, workshop)
    assert rules.has_perm("workshops.run_workshop", listed_facilitator, workshop)
    assert not rules.has_perm("workshops.run_workshop", member, workshop)
    assert not rules.has_perm("workshops.run_workshop", AnonymousUser(), workshop)
    admin = UserFactory(is_superuser=True)
    assert rules.has_perm("workshops.run_workshop", admin, workshop)
    assert services.workshop_is_facilitator(facilitator, workshop)


def test_create_workshop(city, other_city, facilitator, listed_facilitator):
    assert rules.has_perm("workshops.create_workshop", facilitator, city)
    assert not rules.has_perm("workshops.create_workshop", facilitator, other_city)
    assert not rules.has_perm("workshops.create_workshop", listed_facilitator, city)


# --- view_results: every branch --------------------------------------------------


def view_results(user, workshop, session_participant_id=None) -> bool:
    fresh = type(workshop).objects.get(pk=workshop.pk)
    return rules.has_perm(
        "workshops.view_results", user, Visit(fresh, session_participant_id)
    )


def test_view_results_facilitators_always(workshop, facilitator, listed_facilitator):
    assert view_results(facilitator, workshop)  # open workshop
    assert view_results(listed_facilitator, workshop)


def test_view_results_nobody_else_before_the_close(workshop, member, alice):
    # Cannot happen, but the close decides.
    workshop.results_published = True
    workshop.first_published_at = workshop.results_published_at = timezone.now()
    workshop.save()
    assert not view_results(member, workshop)
    assert not view_results(AnonymousUser(), workshop, alice.pk)


def test_view_results_after_the_close(workshop, facilitator, member, alice):
    services.workshop_close(user=facilitator, workshop=workshop)
    stranger = UserFactory()
    assert not view_results(AnonymousUser(), workshop)
    assert not view_results(stranger, workshop)
    assert view_results(AnonymousUser(), workshop, alice.pk)  # joined in this browser
    assert view_results(member, workshop)  # joined with the account elsewhere
    services.workshop_publish(user=facilitator, workshop=workshop)
    assert view_results(AnonymousUser(), workshop)
    assert view_results(stranger, workshop)


# --- card_to_dream -----------------------------------------------------------------


def test_card_to_dream(board, facilitator, member, alice):
    column = board.columns.first()
    shown = Card.objects.create(board=board, column=column, author=alice, text="a")
    hidden = Card.objects.create(
        board=board, column=column, author=alice, text="b", hidden=True
    )
    assert rules.has_perm("workshops.card_to_dream", facilitator, shown)
    assert not rules.has_perm("workshops.card_to_dream", facilitator, hidden)
    assert not rules.has_perm("workshops.card_to_dream", member, shown)
    # Not even a site admin: the text is not public yet.
    admin = UserFactory(is_superuser=True)
    assert not rules.has_perm("workshops.card_to_dream", admin, hidden)
