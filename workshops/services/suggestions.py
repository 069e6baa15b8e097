"""The board's "suggest groups": the platform's theme grouping (`core.text.themes`)
proposes clusters for one column's cards; only the facilitator sees the proposal,
and nothing changes until they apply it, card by card through `card.group` (its
rule, its handler, one numbered `card.grouped` event each)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from core.locking import lock_row
from core.sanitize import clean_text
from core.text.themes import MAX_THEMES, group_texts
from workshops.models import GROUP_NAME_MAX, Board, Card, Column, Workshop
from workshops.protocol import ProtocolError
from workshops.rules import Seat
from workshops.services.events import board_event_append
from workshops.services.handlers import HANDLERS, Change
from workshops.services.participants import (
    participant_for_facilitator,
    require_facilitator,
)

# Embedding costs ~30 ms a card on one core: 150 cards answer within ~5 s.
SUGGEST_CARDS_MAX = 150
SUGGEST_CARDS_MIN = 3
SUGGEST_GROUPS_MAX = MAX_THEMES


@dataclass(frozen=True)
class SuggestedGroup:
    name: str
    words: tuple[str, ...]
    cards: list[Card]


def _suggestable(column: Column):
    # Cards hidden in silent writing are nobody's to group but their author's.
    return Card.objects.filter(column=column, hidden=False).order_by("position", "id")


def column_groups_suggest(
    *, workshop: Workshop, column: Column, by, groups: int | None = None
) -> tuple[str, list[SuggestedGroup]]:
    """The method that ran and the proposed groups of `column`'s visible cards.

    Writes nothing. `groups` forces their number (else the method chooses)."""
    require_facilitator(by, workshop)
    if groups is not None and not 2 <= groups <= SUGGEST_GROUPS_MAX:
        raise Invalid(
            _("Choose between 2 and %(n)d groups.") % {"n": SUGGEST_GROUPS_MAX},
            field="groups",
        )
    cards = list(_suggestable(column)[: SUGGEST_CARDS_MAX + 1])
    if len(cards) > SUGGEST_CARDS_MAX:
        raise Invalid(
            _("Groups can be suggested for at most %(n)d cards at a time.")
            % {"n": SUGGEST_CARDS_MAX},
            code="too_many",
        )
    if len(cards) < SUGGEST_CARDS_MIN:
        raise Invalid(
            _("The column needs at least %(n)d visible cards to group.")
            % {"n": SUGGEST_CARDS_MIN},
            code="too_few",
        )
    by_id = {str(card.pk): card for card in cards}
    grouping = group_texts(
        [(str(c.pk), c.language or workshop.language, c.text) for c in cards],
        themes=groups,
    )
    proposal = []
    for theme in grouping.themes:
        name = ", ".join(theme.words[:3])[:GROUP_NAME_MAX]
        proposal.append(
            SuggestedGroup(
                name=name or _("Group %(n)d") % {"n": theme.number},
                words=theme.words,
                cards=[by_id[member] for member in theme.members],
            )
        )
    return grouping.method, proposal


@transaction.atomic
def column_groups_apply(
    *, board: Board, column: Column, groups: list[tuple[str, list[int]]], by
) -> int:
    """Cluster each listed card of `column` under its group's name (a group with an
    empty name is left out); all or nothing. The number of cards clustered."""
    require_facilitator(by, board.workshop)
    locked = lock_row(Board.objects.select_related("workshop"), board.pk)
    if locked is None or column.board_id != locked.pk:
        raise Invalid(_("No such column on this board."))
    if locked.workshop.is_closed:
        raise Invalid(_("The workshop has ended."), code="closed")
    wanted: list[tuple[str, int]] = []
    for name, card_ids in groups:
        name = clean_text(name, multiline=False)
        if len(name) > GROUP_NAME_MAX:
            raise Invalid(
                _("A group name is at most %(n)d characters.") % {"n": GROUP_NAME_MAX},
                field="name",
            )
        if name:
            wanted.extend((name, card_id) for card_id in card_ids)
    ids = [card_id for _name, card_id in wanted]
    if len(ids) != len(set(ids)) or len(ids) > SUGGEST_CARDS_MAX:
        raise Invalid(_("Each card can be in one group only."))
    present = set(_suggestable(column).filter(pk__in=ids).values_list("pk", flat=True))
    if present != set(ids):
        raise Invalid(_("Some cards have left the column meanwhile. Suggest again."))
    participant = participant_for_facilitator(workshop=locked.workshop, user=by)
    seat = Seat(board=locked, participant=participant)
    for name, card_id in wanted:
        change = Change(
            action="card.group",
            seat=seat,
            user=by,
            fields={"card": card_id, "group": name},
            op="",
        )
        try:
            kind, payload, private_to = HANDLERS["card.group"](change)
        except ProtocolError as error:
            raise Forbidden(error.message) from None
        board_event_append(
            board=locked,
            kind=kind,
            payload=payload,
            participant=participant,
            private_to=private_to,
        )
    return len(wanted)
