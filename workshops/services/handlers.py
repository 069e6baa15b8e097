"""What each board change message does, once `board_change` holds the board's lock.

`Change` is one change being applied (who, where, which fields) with the checks
every handler shares; each handler reads what it needs in as few queries as it
can, writes, and returns the event to log: its kind, payload and, for a card only
its author may see yet, that participant's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import rules
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sanitize import clean_text
from core.text.fields import current_text_language
from workshops import protocol, selectors
from workshops.models import (
    CARD_TEXT_MAX,
    CARDS_PER_BOARD_MAX,
    CARDS_PER_PARTICIPANT_MAX,
    Board,
    Card,
    Channel,
    Column,
    Participant,
    Phase,
    Vote,
)
from workshops.protocol import ProtocolError
from workshops.rules import (
    BOARD_ACTIONS,
    FACILITATOR_ACTIONS,
    Seat,
    board_is_locked,
    card_is_hidden,
    has_votes_left,
    is_removed,
    is_workshop_facilitator,
    voting_is_open,
    workshop_is_closed,
)
from workshops.services.wire import card_data, iso, withhold

__all__ = ["HANDLERS", "Change", "Result", "card_add"]


@dataclass
class Change:
    """One change being applied: who, where, with which fields."""

    action: str  # the message type
    seat: Seat
    user: Any
    fields: dict[str, Any]
    op: str

    @property
    def board(self) -> Board:
        return self.seat.board

    @property
    def participant(self) -> Participant:
        return self.seat.participant

    def error(self, code: str, message: str, **extra) -> ProtocolError:
        return ProtocolError(code, message, op=self.op, **extra)

    def require(self, action: str, card: Card | None = None) -> None:
        """Refuse unless the board rule for `action` allows it (for `card`)."""
        seat = self.seat if card is None else self.seat.at(card)
        if rules.has_perm(BOARD_ACTIONS[action], self.user, seat):
            return
        # Refused: tell which part of the rule it was, most telling first.
        if is_removed(self.user, seat):
            raise self.error(
                protocol.FORBIDDEN, _("You were removed from this workshop.")
            )
        if action in FACILITATOR_ACTIONS and not is_workshop_facilitator(
            self.user, seat
        ):
            raise self.error(protocol.FORBIDDEN, _("Only facilitators may do this."))
        if workshop_is_closed(self.user, seat):
            raise self.error(protocol.LOCKED, _("The workshop has ended."))
        if board_is_locked(self.user, seat) and not is_workshop_facilitator(
            self.user, seat
        ):
            raise self.error(protocol.LOCKED, _("The board is locked."))
        if action in ("vote.cast", "vote.retract"):
            if not voting_is_open(self.user, seat):
                raise self.error(protocol.FORBIDDEN, _("Voting is not open now."))
            if action == "vote.cast" and card_is_hidden(self.user, seat):
                raise self.error(
                    protocol.FORBIDDEN,
                    _("A card hidden until the reveal cannot be voted on."),
                )
            if not has_votes_left(self.user, seat):
                raise self.error(protocol.FORBIDDEN, _("You have no votes left."))
        if action in ("card.move", "card.group"):
            raise self.error(
                protocol.FORBIDDEN,
                _(
                    "Others' cards can be moved and clustered in the clustering "
                    "phase, or by a facilitator."
                ),
            )
        raise self.error(
            protocol.FORBIDDEN,
            _("Only the card's author or a facilitator may do this."),
        )

    def card(self, **annotations: Any) -> Card:
        """The message's card on this board (with `annotations`), or not_found."""
        card = (
            Card.objects.select_related("author")
            .annotate(**annotations)
            .filter(pk=self.fields["card"], board=self.board)
            .first()
        )
        if card is None:
            raise self.error(protocol.NOT_FOUND, _("No such card on this board."))
        return card

    def require_version(self, card: Card) -> None:
        if self.fields["version"] != card.version:
            votes = getattr(card, "votes", None)
            current = card_data(
                card,
                selectors.card_votes(card) if votes is None else votes,
                # The conflict goes to this participant alone: their own dots.
                selectors.card_votes(card, participant=self.participant),
            )
            if card.hidden and card.author_id != self.participant.pk:
                current = withhold(current)
            raise self.error(
                protocol.CONFLICT,
                _("The card was changed meanwhile."),
                card=current,
            )

    def clean_card_text(self) -> str:
        text = clean_text(self.fields["text"])
        if not text:
            raise self.error(protocol.INVALID, _("The card needs some text."))
        if len(text) > CARD_TEXT_MAX:
            raise self.error(protocol.TOO_LARGE, _("The card text is too long."))
        return text


def _count(queryset, by: str) -> Coalesce:
    """`queryset`'s row count as a subquery expression (0 when empty)."""
    return Coalesce(
        Subquery(queryset.values(by).annotate(n=Count("pk")).values("n")[:1]), 0
    )


def _card_vote_count() -> Coalesce:
    return _count(Vote.objects.filter(card=OuterRef("pk")), "card")


def _renumber(
    column_id: int, card: Card | None, position: int, cards: list[Card] | None = None
) -> list[Card]:
    """Cards of a column in order, with `card` inserted at `position`.

    `cards` may hold the column's cards already read, ordered by position and id.
    """
    if cards is None:
        cards = list(
            Card.objects.filter(column_id=column_id).order_by("position", "id")
        )
    cards = [c for c in cards if card is None or c.pk != card.pk]
    if card is not None:
        cards.insert(max(0, min(position, len(cards))), card)
    changed = []
    for index, item in enumerate(cards):
        if item.position != index:
            item.position = index
            changed.append(item)
    return changed


Result = tuple[str, dict[str, Any], int | None]


def card_add(ch: Change) -> Result:
    board = ch.board
    # The column, the board's card count and the column's last position: one query.
    column = (
        Column.objects.filter(pk=ch.fields["column"], board=board)
        .annotate(
            board_cards=_count(Card.objects.filter(board=board), "board"),
            mine=_count(
                Card.objects.filter(board=board, author=ch.participant), "board"
            ),
            last=Subquery(
                Card.objects.filter(column=OuterRef("pk"))
                .order_by("-position")
                .values("position")[:1]
            ),
        )
        .first()
    )
    if column is None:
        raise ch.error(protocol.NOT_FOUND, _("No such column on this board."))
    if column.board_cards >= CARDS_PER_BOARD_MAX:
        raise ch.error(
            protocol.TOO_LARGE,
            _("The board is full (%(n)d cards).") % {"n": CARDS_PER_BOARD_MAX},
        )
    # Counted under the board's lock (taken with its number), so a participant's
    # sockets and forms racing each other cannot pass the quota together.
    if column.mine >= CARDS_PER_PARTICIPANT_MAX and not is_workshop_facilitator(
        ch.user, ch.seat
    ):
        raise ch.error(
            protocol.TOO_LARGE,
            _(
                "You have added %(n)d cards to this board, the most one "
                "participant may. Edit or combine your cards instead."
            )
            % {"n": CARDS_PER_PARTICIPANT_MAX},
        )
    text = ch.clean_card_text()
    last = column.last
    # Set only by `cards_enter_paper` (the protocol has no such fields): a card
    # copied from paper has no author; the facilitator who typed it is the
    # event's participant, not the card's.
    in_person = ch.fields.get("channel") == Channel.IN_PERSON
    card = Card.objects.create(
        board=board,
        column=column,
        author=None if in_person else ch.participant,
        text=text,
        # The text's language: as the author chose, else the page's (a form post).
        language=ch.fields.get("language") or current_text_language(),
        color=ch.fields.get("color") or "yellow",
        position=0 if last is None else last + 1,
        hidden=board.phase == Phase.SILENT,
        # Set only by `card_place_dream`: the protocol has no such field.
        from_dream_id=ch.fields.get("from_dream"),
        channel=Channel.IN_PERSON if in_person else Channel.ONLINE,
        meeting=ch.fields.get("meeting", "") if in_person else "",
        meeting_on=ch.fields.get("meeting_on") if in_person else None,
    )
    # A hidden card's text is its author's alone; a paper card has none, so it
    # stays hidden from everyone until the reveal, like the others' cards.
    private = ch.participant.pk if card.hidden and not in_person else None
    return "card.added", {"card": card_data(card)}, private


def _card_edit(ch: Change) -> Result:
    card = ch.card(votes=_card_vote_count())
    ch.require(ch.action, card)
    ch.require_version(card)
    card.text = ch.clean_card_text()
    card.language = ch.fields.get("language") or card.language
    card.version += 1
    card.save(update_fields=["text", "language", "version", "updated_at"])
    private = card.author_id if card.hidden else None
    # Everyone's own dots are unchanged by an edit, and differ: none are sent.
    card_object = card_data(card, card.votes, my_votes=None)
    return "card.edited", {"card": card_object}, private


def _card_move(ch: Change) -> Result:
    target = ch.fields["column"]
    card = ch.card(
        target_ok=Exists(Column.objects.filter(pk=target, board=ch.board)),
        votes=_card_vote_count(),
    )
    ch.require(ch.action, card)
    ch.require_version(card)
    if not card.target_ok:
        raise ch.error(protocol.NOT_FOUND, _("No such column on this board."))
    old_column = card.column_id
    card.column_id = target
    card.version += 1
    card.save(update_fields=["column", "version", "updated_at"])
    # Both columns' cards in one read, then renumbered in Python.
    by_column: dict[int, list[Card]] = {target: [], old_column: []}
    for other in Card.objects.filter(column_id__in=by_column).order_by(
        "position", "id"
    ):
        by_column[other.column_id].append(other)
    changed = _renumber(target, card, ch.fields["position"], by_column[target])
    if old_column != target:
        changed += _renumber(old_column, None, 0, by_column[old_column])
    if changed:
        Card.objects.bulk_update(changed, ["position"])
    return (
        "card.moved",
        {
            "card": card.pk,
            "column": target,
            "position": card.position,
            "version": card.version,
        },
        None,
    )


def _card_delete(ch: Change) -> Result:
    card = ch.card()
    ch.require(ch.action, card)
    column_id, card_id = card.column_id, card.pk
    card.delete()
    changed = _renumber(column_id, None, 0)
    Card.objects.bulk_update(changed, ["position"])
    return "card.deleted", {"card": card_id}, None


def _card_group(ch: Change) -> Result:
    card = ch.card()
    ch.require(ch.action, card)
    card.group = clean_text(ch.fields["group"], multiline=False)
    card.version += 1
    card.save(update_fields=["group", "version", "updated_at"])
    return (
        "card.grouped",
        {"card": card.pk, "group": card.group or None, "version": card.version},
        None,
    )


def _mine(ch: Change) -> Coalesce:
    return _count(
        Vote.objects.filter(card=OuterRef("pk"), participant=ch.participant), "card"
    )


def _vote_cast(ch: Change) -> Result:
    # The card, its votes, the participant's dots on it and on the board: one
    # query. Every vote is written under the board's lock, so the counts stay
    # current.
    card = ch.card(
        votes=_card_vote_count(),
        mine=_mine(ch),
        used=_count(
            Vote.objects.filter(board=ch.board, participant=ch.participant),
            "participant",
        ),
    )
    budget = selectors.vote_budget_of(ch.board, ch.participant)
    ch.seat = replace(ch.seat, votes_left=max(0, budget - card.used))
    ch.require(ch.action, card)
    Vote.objects.create(card=card, participant=ch.participant, board=ch.board)
    return _vote_event("vote.cast", ch, card, +1, budget - card.used - 1)


def _vote_retract(ch: Change) -> Result:
    card = ch.card(
        votes=_card_vote_count(),
        mine=_mine(ch),
        used=_count(
            Vote.objects.filter(board=ch.board, participant=ch.participant),
            "participant",
        ),
    )
    vote = (
        Vote.objects.filter(card=card, participant=ch.participant)
        .values_list("pk", flat=True)
        .first()
    )
    if vote is None:
        raise ch.error(protocol.NOT_FOUND, _("You have no vote on this card."))
    Vote.objects.filter(pk=vote).delete()
    budget = selectors.vote_budget_of(ch.board, ch.participant)
    return _vote_event("vote.retracted", ch, card, -1, budget - card.used + 1)


def _vote_event(kind: str, ch: Change, card: Card, delta: int, left: int) -> Result:
    """Everyone learns the card's total; the voter alone (`private_to`, see
    `wire.redact`) their dots on it and the votes they have left."""
    payload = {
        "card": card.pk,
        "votes": card.votes + delta,
        "participant": ch.participant.pk,
        "my_votes": card.mine + delta,
        # Never below 0: a lowered budget keeps the dots cast above it.
        "votes_left": max(0, left),
    }
    return kind, payload, ch.participant.pk


def _phase_set(ch: Change) -> Result:
    ch.board.phase = ch.fields["phase"]
    # Voting opened or closed by hand was for the phase that ends.
    ch.board.voting_choice = None
    ch.board.save(update_fields=["phase", "voting_choice", "updated_at"])
    return (
        "phase.set",
        {"phase": ch.board.phase, "voting_open": ch.board.voting_open},
        None,
    )


def _voting_set(ch: Change) -> Result:
    ch.board.voting_choice = ch.fields["open"]
    ch.board.save(update_fields=["voting_choice", "updated_at"])
    return "voting.set", {"voting_open": ch.board.voting_open}, None


def _timer_start(ch: Change) -> Result:
    seconds = ch.fields["seconds"]
    ch.board.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
    ch.board.save(update_fields=["timer_ends_at", "updated_at"])
    return (
        "timer.started",
        {"seconds": seconds, "ends_at": iso(ch.board.timer_ends_at)},
        None,
    )


def _timer_stop(ch: Change) -> Result:
    ch.board.timer_ends_at = None
    ch.board.save(update_fields=["timer_ends_at", "updated_at"])
    return "timer.stopped", {}, None


def _board_lock(ch: Change) -> Result:
    ch.board.locked = True
    ch.board.save(update_fields=["locked", "updated_at"])
    return "board.locked", {}, None


def _board_unlock(ch: Change) -> Result:
    ch.board.locked = False
    ch.board.save(update_fields=["locked", "updated_at"])
    return "board.unlocked", {}, None


def _board_reveal(ch: Change) -> Result:
    hidden = list(
        Card.objects.select_related("author").filter(board=ch.board, hidden=True)
    )
    Card.objects.filter(pk__in=[c.pk for c in hidden]).update(
        hidden=False, updated_at=timezone.now()
    )
    votes = selectors.votes_by_card(ch.board.pk)
    for card in hidden:
        card.hidden = False
    if ch.board.phase == Phase.SILENT:
        ch.board.phase = Phase.REVEAL
        ch.board.voting_choice = None  # as on any change of phase
        ch.board.save(update_fields=["phase", "voting_choice", "updated_at"])
    return (
        "board.revealed",
        {
            "phase": ch.board.phase,
            "voting_open": ch.board.voting_open,
            # Nobody could vote on them while hidden: everyone's my_votes is 0.
            "cards": [card_data(c, votes.get(c.pk, 0)) for c in hidden],
        },
        None,
    )


def _vote_budget(ch: Change) -> Result:
    budget = ch.fields["budget"]
    target = ch.fields.get("participant")
    if target is None:
        ch.board.vote_budget = budget
        ch.board.save(update_fields=["vote_budget", "updated_at"])
    else:
        updated = Participant.objects.filter(
            pk=target, workshop_id=ch.board.workshop_id
        ).update(vote_budget=budget)
        if not updated:
            raise ch.error(protocol.NOT_FOUND, _("No such participant."))
    return "vote.budget_set", {"budget": budget, "participant": target}, None


HANDLERS: dict[str, Callable[[Change], Result]] = {
    "card.add": card_add,
    "card.edit": _card_edit,
    "card.move": _card_move,
    "card.delete": _card_delete,
    "card.group": _card_group,
    "vote.cast": _vote_cast,
    "vote.retract": _vote_retract,
    "phase.set": _phase_set,
    "timer.start": _timer_start,
    "timer.stop": _timer_stop,
    "board.lock": _board_lock,
    "board.unlock": _board_unlock,
    "board.reveal": _board_reveal,
    "vote.budget": _vote_budget,
    "voting.set": _voting_set,
}
