"""Who may do what in workshops: the app's named permissions (`rules`).

Services, views, templates (`{% load rules %}`) and the board consumer ask these
rules; no decision here is coded anywhere else. Objects the rules take:

- a `Workshop` (or anything with `.workshop`) for `run_workshop`;
- a `City` for `create_workshop`;
- a `Visit` (a workshop as one browser session sees it) for `view_results`;
- a `Card` (its `board.workshop` loaded) for `card_to_dream`;
- a `Seat` (a participant on a board, and the card at hand if any) for the board
  actions, named after the protocol's message types in `BOARD_ACTIONS`.

Python code asks `rules.has_perm`, which, unlike `user.has_perm`, has no
superuser shortcut: a site admin is a facilitator everywhere (their role check
says so), but even they cannot turn a hidden card into a dream.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import rules

from accounts.rules import is_facilitator
from workshops.models import Board, BoardTemplate, Card, Participant, Phase, Workshop

# --- What the rules look at -------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A workshop as one browser session sees it (anonymous participants are
    known only by the participant id their session remembers)."""

    workshop: Workshop
    session_participant_id: int | None = None


@dataclass(frozen=True)
class Seat:
    """A participant on a board (`board.workshop` loaded), and the card at hand.

    `card` None asks about the participant's own cards (the snapshot's `you.can`).
    `votes_left` is the participant's dots still to cast, when the asker counted
    them (None: not counted, not checked).
    """

    board: Board
    participant: Participant | None
    card: Card | None = None
    votes_left: int | None = None

    @property
    def workshop(self) -> Workshop:
        return self.board.workshop

    def at(self, card: Card) -> Seat:
        return replace(self, card=card)


def _workshop_of(obj: Any) -> Workshop | None:
    if obj is None or isinstance(obj, Workshop):
        return obj
    if isinstance(obj, Card):
        return obj.board.workshop
    return getattr(obj, "workshop", None)


# --- Predicates ------------------------------------------------------------------


@rules.predicate
def board_photo_published(user, photo) -> bool:
    return photo.is_published


@rules.predicate
def facilitates_the_photos_board(user, photo) -> bool:
    return is_workshop_facilitator.test(user, photo.board)


@rules.predicate
def is_workshop_facilitator(user, obj) -> bool:
    """The city's facilitators and the workshop's own listed facilitators."""
    workshop = _workshop_of(obj)
    if workshop is None or user is None or not user.is_authenticated:
        return False
    # Remembered on the workshop row as loaded: one answer per request or per
    # board change, however many rules ask (lists of cards ask once per card).
    known = workshop.__dict__.setdefault("_facilitator_of", {})
    if user.pk not in known:
        known[user.pk] = bool(
            is_facilitator(user, workshop.city_id)
            or workshop.facilitators.filter(pk=user.pk).exists()
        )
    return known[user.pk]


@rules.predicate
def workshop_is_closed(user, obj) -> bool:
    workshop = _workshop_of(obj)
    return workshop is not None and workshop.is_closed


@rules.predicate
def results_are_published(user, visit: Visit) -> bool:
    return visit.workshop.results_published


@rules.predicate
def is_session_participant(user, visit: Visit) -> bool:
    """The browser joined the workshop (its session remembers a participant), was
    admitted and is not removed."""
    return (
        visit.session_participant_id is not None
        and visit.workshop.participants.filter(
            pk=visit.session_participant_id, removed_at__isnull=True, pending=False
        ).exists()
    )


@rules.predicate
def is_user_participant(user, visit: Visit) -> bool:
    """The logged-in user joined the workshop (from any browser), was admitted
    and is not removed."""
    return bool(
        user is not None
        and user.is_authenticated
        and visit.workshop.participants.filter(
            user=user, removed_at__isnull=True, pending=False
        ).exists()
    )


@rules.predicate
def is_removed(user, seat: Seat) -> bool:
    """Not (or no longer) a participant: a facilitator removed them."""
    return seat.participant is None or seat.participant.removed_at is not None


@rules.predicate
def board_is_locked(user, seat: Seat) -> bool:
    return seat.board.locked


@rules.predicate
def owns_card(user, seat: Seat) -> bool:
    """The card at hand is the participant's own (no card at hand: their own)."""
    return seat.card is None or seat.card.author_id == seat.participant.pk


@rules.predicate
def in_cluster_phase(user, seat: Seat) -> bool:
    return seat.board.phase == Phase.CLUSTER


@rules.predicate
def voting_is_open(user, seat: Seat) -> bool:
    """The vote phase, or another phase in which a facilitator opened voting."""
    return seat.board.voting_open


@rules.predicate
def has_votes_left(user, seat: Seat) -> bool:
    """Under the budget (a budget lowered below the dots cast blocks new ones)."""
    return seat.votes_left is None or seat.votes_left > 0


@rules.predicate
def card_is_hidden(user, obj) -> bool:
    """Written in silent writing and not revealed yet: its text is not public."""
    card = obj.card if isinstance(obj, Seat) else obj
    return card is not None and card.hidden


@rules.predicate
def is_template_author(user, template: BoardTemplate) -> bool:
    return bool(
        user is not None and user.is_authenticated and template.created_by_id == user.pk
    )


@rules.predicate
def is_shared_in_my_city(user, template: BoardTemplate) -> bool:
    """Shared, and the user facilitates in the template's city."""
    return template.shared and is_facilitator(user, template.city_id)


# --- Rules -----------------------------------------------------------------------

# On an open board any participant writes; on a locked one only facilitators; in a
# closed workshop no one (the order keeps the cheap checks first: the facilitator
# check may read the database).
may_take_part = (
    ~is_removed & ~workshop_is_closed & (~board_is_locked | is_workshop_facilitator)
)
may_facilitate = ~is_removed & is_workshop_facilitator & ~workshop_is_closed

# The protocol's client message types -> their permission.
BOARD_ACTIONS: dict[str, str] = {
    "card.add": "workshops.add_card",
    "card.edit": "workshops.edit_card",
    "card.move": "workshops.move_card",
    "card.delete": "workshops.delete_card",
    "card.group": "workshops.group_card",
    "vote.cast": "workshops.cast_vote",
    "vote.retract": "workshops.retract_vote",
    "phase.set": "workshops.set_phase",
    "timer.start": "workshops.start_timer",
    "timer.stop": "workshops.stop_timer",
    "board.lock": "workshops.lock_board",
    "board.unlock": "workshops.unlock_board",
    "board.reveal": "workshops.reveal_board",
    "vote.budget": "workshops.set_vote_budget",
    "voting.set": "workshops.set_voting",
}
FACILITATOR_ACTIONS = frozenset(
    {
        "phase.set",
        "timer.start",
        "timer.stop",
        "board.lock",
        "board.unlock",
        "board.reveal",
        "vote.budget",
        "voting.set",
    }
)

_BOARD_RULES = {
    "card.add": may_take_part,
    # Others' cards: edited and deleted only by facilitators; moved and clustered
    # by facilitators, and by everyone in the clustering phase (that is what the
    # phase is for). One's own cards: always (phase × action × own/other).
    "card.edit": may_take_part & (owns_card | is_workshop_facilitator),
    "card.delete": may_take_part & (owns_card | is_workshop_facilitator),
    "card.move": may_take_part
    & (owns_card | is_workshop_facilitator | in_cluster_phase),
    "card.group": may_take_part
    & (owns_card | is_workshop_facilitator | in_cluster_phase),
    # Dots only while voting is open, never on a card whose text is hidden (one
    # would vote on an author's name), and within the budget.
    "vote.cast": may_take_part & voting_is_open & ~card_is_hidden & has_votes_left,
    "vote.retract": may_take_part & voting_is_open,
    **dict.fromkeys(FACILITATOR_ACTIONS, may_facilitate),
    # A closed workshop's boards are locked; locking again stays possible.
    "board.lock": ~is_removed & is_workshop_facilitator,
}

RULES = {
    "workshops.create_workshop": is_facilitator,
    "workshops.run_workshop": is_workshop_facilitator,
    # Approve or decline joiners, remove and readmit participants.
    "workshops.manage_participants": is_workshop_facilitator,
    "workshops.view_results": is_workshop_facilitator
    | (
        workshop_is_closed
        & (results_are_published | is_session_participant | is_user_participant)
    ),
    "workshops.card_to_dream": is_workshop_facilitator & ~card_is_hidden,
    # Board templates: saved from a board one runs, used by their author and,
    # when shared, by the city's facilitators; deleted by their author.
    "workshops.save_board_template": is_workshop_facilitator,
    "workshops.use_board_template": is_template_author | is_shared_in_my_city,
    "workshops.delete_board_template": is_template_author,
    # Paper cards from a physical meeting (a Seat: the facilitator's own
    # participant): not onto a locked board, whose contents are being kept as
    # they are, nor in a closed workshop.
    "workshops.enter_paper_cards": may_facilitate & ~board_is_locked,
    # Flipchart photos (a Board): upload, publish, unpublish, remove, and see
    # unpublished ones. Also after the workshop closed: photos come afterwards.
    "workshops.manage_board_photos": is_workshop_facilitator,
    # A BoardPhoto: anyone once published, the workshop's facilitators always.
    "workshops.view_board_photo": board_photo_published | facilitates_the_photos_board,
    **{BOARD_ACTIONS[action]: rule for action, rule in _BOARD_RULES.items()},
}

for _name, _rule in RULES.items():
    # As permissions (`rules.has_perm`, `{% has_perm %}`) and as rules
    # (`{% test_rule %}`, without the superuser shortcut of `user.has_perm`).
    rules.add_perm(_name, _rule)
    rules.add_rule(_name, _rule)


def board_can(user, seat: Seat) -> dict[str, bool]:
    """Each board action -> whether this participant may do it now (`you.can`)."""
    return {
        action: rules.has_perm(name, user, seat)
        for action, name in BOARD_ACTIONS.items()
    }
