"""Paper from physical meetings, brought onto a board as ordinary cards.

A facilitator types (or pastes) the cards of a flipchart or a pile of sticky
notes into one column at once, one card per line (`cards_enter_paper`). Each
line becomes a card through the board's own `card.add` (`board_card_add`): the
board's card cap, the one text normaliser, silent writing, and a numbered
`card.added` event broadcast on commit, so everyone on the board sees the cards
appear live and the cards vote, cluster, rank and become dreams like any other.
What differs: no author, `channel` "in_person" and the meeting they came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import rules
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import Forbidden, Invalid
from core.locking import lock_row
from core.sanitize import clean_text
from workshops.models import (
    CARD_TEXT_MAX,
    CARDS_PER_BOARD_MAX,
    MEETING_MAX,
    Board,
    Card,
    Channel,
    Color,
    Column,
)
from workshops.protocol import ProtocolError
from workshops.rules import Seat
from workshops.services.changes import board_card_add
from workshops.services.participants import (
    participant_for_facilitator,
    require_facilitator,
)

__all__ = [
    "PAPER_CARDS_MAX",
    "PAPER_TEXT_MAX",
    "PaperLine",
    "cards_enter_paper",
    "paper_lines",
]

# Cards in one batch: a full flipchart or two, and a page a person can check.
PAPER_CARDS_MAX = 100
# The whole text as posted, refused before it is split (every line at its most).
PAPER_TEXT_MAX = PAPER_CARDS_MAX * (CARD_TEXT_MAX + 2)


@dataclass(frozen=True)
class PaperLine:
    """One card to be: its text as stored, and its line number as typed."""

    number: int
    text: str


def paper_lines(text: str) -> list[PaperLine]:
    """The cards in `text`, one per non-empty line; refuses with `Invalid` (field
    "text", every problem at once) what is empty, too long or too many."""
    if len(text) > PAPER_TEXT_MAX:
        raise Invalid(
            _("The text is too long: at most %(n)d characters at a time.")
            % {"n": PAPER_TEXT_MAX},
            field="text",
            code="too_large",
        )
    lines = [
        PaperLine(number, clean_text(raw, multiline=False))
        for number, raw in enumerate(text.splitlines(), start=1)
    ]
    # Blank lines between cards are how people separate piles: skipped.
    lines = [line for line in lines if line.text]
    if not lines:
        raise Invalid(
            _("Type at least one card, one per line."), field="text", code="empty"
        )
    if len(lines) > PAPER_CARDS_MAX:
        raise Invalid(
            ngettext(
                "%(count)d cards: enter at most %(n)d card at a time.",
                "%(count)d cards: enter at most %(n)d cards at a time.",
                PAPER_CARDS_MAX,
            )
            % {"count": len(lines), "n": PAPER_CARDS_MAX},
            field="text",
            code="too_many",
        )
    long_lines = [line for line in lines if len(line.text) > CARD_TEXT_MAX]
    if long_lines:
        raise Invalid(
            ngettext(
                "Line %(lines)s is longer than %(n)d characters: shorten it or "
                "split it over two lines.",
                "Lines %(lines)s are longer than %(n)d characters: shorten them "
                "or split them over two lines.",
                len(long_lines),
            )
            % {
                "lines": ", ".join(str(line.number) for line in long_lines),
                "n": CARD_TEXT_MAX,
            },
            field="text",
            code="too_long",
        )
    return lines


def _meeting_clean(meeting: str) -> str:
    name = clean_text(meeting, multiline=False)
    if not name:
        raise Invalid(
            _("Name the meeting the cards come from."), field="meeting", code="empty"
        )
    if len(name) > MEETING_MAX:
        raise Invalid(
            _("The meeting's name may be at most %(n)d characters.")
            % {"n": MEETING_MAX},
            field="meeting",
            code="too_long",
        )
    return name


@transaction.atomic
def cards_enter_paper(
    *,
    user,
    board: Board,
    column: Column,
    text: str,
    meeting: str,
    meeting_on: date | None = None,
    language: str | None = None,
    color: str = Color.YELLOW,
) -> list[Card]:
    """Add one in-person card per line of `text` to `column`: all of them or none.

    Facilitators only, not on a locked board nor in a closed workshop
    (`workshops.enter_paper_cards`). The cards have no author and carry the
    meeting; the facilitator's participant is the events' actor. `language`
    defaults to the workshop's. Raises `Invalid` (naming the field and, for the
    text, the lines) or `Forbidden`, having written nothing.
    """
    workshop = board.workshop
    require_facilitator(user, workshop)
    lines = paper_lines(text)
    meeting = _meeting_clean(meeting)
    if color not in Color.values:
        raise Invalid(_("Choose a colour."), field="color")
    locked = lock_row(Board.objects.select_related("workshop"), board.pk)
    if locked is None or column.board_id != locked.pk:
        raise Invalid(_("No such column on this board."), field="column")
    workshop = locked.workshop
    participant = participant_for_facilitator(workshop=workshop, user=user)
    if not rules.has_perm(
        "workshops.enter_paper_cards", user, Seat(board=locked, participant=participant)
    ):
        if workshop.is_closed:
            raise Invalid(_("The workshop has ended."), code="closed")
        if locked.locked:
            raise Invalid(
                _("The board is locked: unlock it to enter paper cards."),
                code="locked",
            )
        raise Forbidden(_("Only the workshop's facilitators may do this."))
    room = CARDS_PER_BOARD_MAX - Card.objects.filter(board=locked).count()
    if len(lines) > room:
        raise Invalid(
            _(
                "The board has room for %(room)d more cards (at most %(n)d); "
                "none of the cards were added."
            )
            % {"room": max(room, 0), "n": CARDS_PER_BOARD_MAX},
            field="text",
            code="board_full",
        )
    card_ids = []
    for line in lines:
        try:
            card_ids.append(
                board_card_add(
                    board=locked,
                    participant=participant,
                    user=user,
                    fields={
                        "column": column.pk,
                        "text": line.text,
                        "color": color,
                        "language": language or workshop.language,
                        "channel": Channel.IN_PERSON,
                        "meeting": meeting,
                        "meeting_on": meeting_on,
                    },
                )
            )
        except ProtocolError as error:
            # Raised inside the transaction: the cards before it are undone too.
            raise Invalid(error.message, code=error.code) from None
    cards = Card.objects.in_bulk(card_ids)
    return [cards[pk] for pk in card_ids]
