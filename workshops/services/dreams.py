"""Service dreams and cards, both ways, in one transaction each.

A facilitator places dreams onto a board as cards (`cards_place_dreams`) and
turns a card into a dream (`card_dream_create`). Both write the workshops side
(the card's `from_dream` / `became_dream`) and the ideas side (status,
`DreamLink`) through the ideas services.
"""

from __future__ import annotations

from collections.abc import Sequence

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import Conflict, Forbidden, Invalid
from core.locking import lock_row, lock_rows
from core.models import City
from core.sanitize import clean_text
from ideas import services as ideas_services
from ideas.models import TITLE_MAX_LENGTH, Dream, DreamStatus
from workshops.models import (
    CARD_TEXT_MAX,
    CARDS_PER_BOARD_MAX,
    Board,
    Card,
    Color,
    Column,
    Workshop,
)
from workshops.protocol import ProtocolError
from workshops.rules import card_is_hidden
from workshops.services.changes import board_card_add
from workshops.services.participants import (
    participant_for_facilitator,
    require_facilitator,
)

# Dreams one facilitator may place onto a board in one go.
DREAMS_PER_PLACEMENT_MAX = 20
# Cards placed from dreams stand out from the participants' own notes.
DREAM_CARD_COLOR = Color.BLUE


def dream_card_text(dream: Dream) -> str:
    """The card a dream becomes: its title, then as much description as fits."""
    title = clean_text(dream.title, multiline=False)
    description = clean_text(dream.description)
    text = f"{title}\n\n{description}" if description else title
    if len(text) <= CARD_TEXT_MAX:
        return text
    cut = text[: CARD_TEXT_MAX - 1]
    space = cut.rfind(" ")
    if space > len(title):  # end on a whole word when one is near
        cut = cut[:space]
    return cut.rstrip() + "…"


def _placement_problem(dream: Dream | None, workshop: Workshop) -> str | None:
    if dream is None:
        return _("A chosen dream no longer exists.")
    values = {"title": dream.title}
    if dream.status == DreamStatus.MERGED:
        return (
            _("“%(title)s” was merged into another dream; place that one instead.")
            % values
        )
    if dream.is_closed:
        return (
            _("“%(title)s” is not pursued; move it back under review first.") % values
        )
    if dream.city_id is not None and dream.city_id != workshop.city_id:
        return _("“%(title)s” is a dream of another city.") % values
    return None


@transaction.atomic
def cards_place_dreams(
    *, board: Board, column: Column, dreams: Sequence[Dream], by
) -> list[Card]:
    """Place service dreams onto `column` as cards: all of them, or none.

    Every card goes through the protocol's `card.add` as the facilitator's own
    participant: the board's card cap, sanitising, silent writing (hidden from the
    others until the reveal), and a numbered `card.added` event broadcast on
    commit. The card remembers its dream; a new or under-review dream moves to
    "taken to a workshop" with a public reason (its dreamer and supporters are
    told, after commit), and every dream gets a link to the workshop. Raises
    `Forbidden` or `ValidationError` having written nothing.
    """
    workshop = board.workshop
    require_facilitator(by, workshop)
    ids = list(dict.fromkeys(dream.pk for dream in dreams))
    if not ids:
        raise Invalid(_("Choose at least one dream."), field="dreams", code="empty")
    if len(ids) > DREAMS_PER_PLACEMENT_MAX:
        raise Invalid(
            _("Place at most %(n)d dreams at a time.")
            % {"n": DREAMS_PER_PLACEMENT_MAX},
            field="dreams",
            code="too_many",
        )
    locked = lock_row(Board.objects.select_related("workshop"), board.pk)
    workshop = locked.workshop
    if workshop.is_closed:
        raise Invalid(_("The workshop has ended."), code="closed")
    if column.board_id != locked.pk:
        raise Invalid(_("No such column on this board."), field="column")
    found = lock_rows(Dream, ids)
    problems = [
        problem
        for problem in (_placement_problem(found.get(pk), workshop) for pk in ids)
        if problem
    ]
    if problems:
        raise ValidationError(problems)
    if not all(rules.has_perm("ideas.triage_dream", by, found[pk]) for pk in ids):
        raise Forbidden(
            _("Only the city's facilitators may take dreams to a workshop.")
        )
    already = set(
        Card.objects.filter(board=locked, from_dream_id__in=ids).values_list(
            "from_dream_id", flat=True
        )
    )
    if already:
        raise ValidationError(
            [
                _("“%(title)s” is already on this board.") % {"title": found[pk].title}
                for pk in ids
                if pk in already
            ]
        )
    room = CARDS_PER_BOARD_MAX - Card.objects.filter(board=locked).count()
    if len(ids) > room:
        raise Invalid(
            _(
                "The board has room for %(room)d more cards (at most %(n)d); "
                "none of the dreams were placed."
            )
            % {"room": max(room, 0), "n": CARDS_PER_BOARD_MAX},
            code="board_full",
        )

    participant = participant_for_facilitator(workshop=workshop, user=by)
    with translation.override(workshop.language):
        reason = _("Taken to the workshop “%(title)s”.") % {"title": workshop.title}
    card_ids = []
    for pk in ids:
        dream = found[pk]
        try:
            card_id = board_card_add(
                board=locked,
                participant=participant,
                user=by,
                fields={
                    "column": column.pk,
                    "text": dream_card_text(dream),
                    "color": DREAM_CARD_COLOR,
                    "from_dream": dream.pk,
                },
            )
        except ProtocolError as error:
            raise Invalid(error.message, code=error.code) from None
        card_ids.append(card_id)
        # `ideas.triage_dream` was asked above; should the ideas rule still refuse, its
        # PermissionDenied is a service error like ours and rolls all back.
        if dream.status in (DreamStatus.NEW, DreamStatus.UNDER_REVIEW):
            ideas_services.dream_status_change(
                dream=dream, to_status=DreamStatus.IN_WORKSHOP, by=by, reason=reason
            )
        ideas_services.dream_link_add(
            dream=dream, by=by, workshop_id=workshop.pk, label=workshop.title
        )
    cards = Card.objects.in_bulk(card_ids)
    return [cards[pk] for pk in card_ids]


def dream_title_from_card(text: str) -> str:
    """A dream title suggested by a card: its first line, whole words, short."""
    first = clean_text(text).split("\n", 1)[0].strip()
    if len(first) <= TITLE_MAX_LENGTH:
        return first
    cut = first[: TITLE_MAX_LENGTH - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > TITLE_MAX_LENGTH // 2 else cut).rstrip() + "…"


@transaction.atomic
def card_dream_create(
    *,
    workshop: Workshop,
    card: Card,
    by,
    title: str,
    city: City | None,
    target_group: str,
    description: str | None = None,
    language: str | None = None,
) -> Dream:
    """Turn a workshop card into a service dream, once per card.

    `city` is the workshop's city or None (all cities); `description` defaults to
    the card's text. The dream links back to the workshop (`DreamLink`) and the
    card remembers the dream (`became_dream`). Hidden cards (silent writing, not
    yet revealed) are refused: their text is not public yet.
    """
    require_facilitator(by, workshop)
    locked = lock_row(Card, card.pk)
    board = locked and workshop.boards.filter(pk=locked.board_id).first()
    if not board:
        raise Invalid(
            _("This card is not on this workshop's boards."), code="not_found"
        )
    if locked.became_dream_id is not None:
        raise Conflict(
            _("This card already became dream #%(n)d.") % {"n": locked.became_dream_id},
            code="already",
        )
    board.workshop = workshop
    locked.board = board
    if not rules.has_perm("workshops.card_to_dream", by, locked):
        if card_is_hidden(by, locked):
            raise Invalid(
                _("Reveal the card before turning it into a dream."), code="hidden"
            )
        raise Forbidden(_("Only the workshop's facilitators may do this."))
    if city is not None and city.pk != workshop.city_id:
        raise Invalid(
            _("The dream belongs to the workshop's city or to all cities."),
            field="city",
        )
    dream = ideas_services.dream_create_from_card(
        card_text=locked.text if description is None else description,
        title=title,
        city=city,
        facilitator=by,
        workshop_ref=workshop.pk,
        target_group=target_group,
        language=language or workshop.language,
    )
    locked.became_dream = dream
    locked.save(update_fields=["became_dream", "updated_at"])
    card.became_dream = dream
    return dream
