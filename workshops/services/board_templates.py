"""Board templates: a board's columns, starting phase and vote budget saved by a
facilitator, and new workshops' boards made from them."""

from __future__ import annotations

import rules
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from core.sanitize import clean_text
from workshops.models import (
    TEMPLATE_COLUMNS_MAX,
    Board,
    BoardTemplate,
    Column,
    Phase,
    Workshop,
)

__all__ = ["board_from_template", "board_template_delete", "board_template_save"]


@transaction.atomic
def board_template_save(
    *,
    user,
    board: Board,
    name: str,
    start_phase: str = Phase.OPEN,
    shared: bool = True,
) -> BoardTemplate:
    """Save `board`'s columns (names, order) and vote budget as a template in its
    workshop's city; new boards made from it start in `start_phase`."""
    if not rules.has_perm("workshops.save_board_template", user, board.workshop):
        raise Forbidden(_("Only the workshop's facilitators may save its board."))
    name = clean_text(name, multiline=False)
    if not name:
        raise Invalid(_("Give the template a name."), field="name", code="empty")
    if len(name) > BoardTemplate._meta.get_field("name").max_length:
        raise Invalid(_("The name is too long."), field="name")
    if start_phase not in Phase.values:
        raise Invalid(_("Unknown phase."), field="start_phase")
    columns = list(
        board.columns.order_by("position", "id").values_list("title", flat=True)
    )
    if not columns:
        raise Invalid(_("The board has no columns to save."))
    return BoardTemplate.objects.create(
        city_id=board.workshop.city_id,
        created_by=user,
        name=name,
        columns=columns[:TEMPLATE_COLUMNS_MAX],
        start_phase=start_phase,
        vote_budget=board.vote_budget,
        shared=shared,
    )


@transaction.atomic
def board_template_delete(*, user, template: BoardTemplate) -> None:
    if not rules.has_perm("workshops.delete_board_template", user, template):
        raise Forbidden(_("Only the facilitator who saved a template may delete it."))
    template.delete()


def board_from_template(
    *, user, workshop: Workshop, template: BoardTemplate, position: int = 0
) -> Board:
    """A new board of `workshop` set up as `template` says (the caller holds the
    transaction that created the workshop or checks its facilitator)."""
    if not rules.has_perm("workshops.use_board_template", user, template):
        raise Forbidden(_("This template is not yours to use."), field="template")
    board = Board.objects.create(
        workshop=workshop,
        title=template.name,
        position=position,
        phase=template.start_phase,
        vote_budget=template.vote_budget,
    )
    Column.objects.bulk_create(
        Column(board=board, title=title, position=i)
        for i, title in enumerate(template.columns[:TEMPLATE_COLUMNS_MAX])
    )
    return board
