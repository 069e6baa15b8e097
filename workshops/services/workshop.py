"""Workshops and their columns: create, edit, close, publish; add, rename, move.

Column edits are board changes like the others: numbered in the board's event log
under the board's row lock and broadcast on commit (`column.added`,
`column.renamed`, `columns.reordered`), so open boards follow them live and a
reconnecting client gets them with `hello {last_seq}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import searchables
from core.errors import Forbidden, Invalid
from core.locking import lock_row, lock_rows
from core.models import City
from core.sanitize import clean_text
from notifications.services import notify
from workshops.models import (
    Board,
    BoardTemplate,
    Column,
    Joining,
    Method,
    Workshop,
    new_join_code,
)
from workshops.registrations import RESULTS_KIND
from workshops.services.board_templates import board_from_template
from workshops.services.events import board_event_append
from workshops.services.participants import require_facilitator
from workshops.services.wire import column_data


def _method_boards() -> dict[str, list[tuple[str, list[str]]]]:
    """Boards and columns each method template creates (in the active language)."""
    return {
        Method.SERVICE_JAM: [
            (_("Service Jam"), [_("Who"), _("Need"), _("Idea"), _("Prototype")])
        ],
        Method.BRAINSTORMING: [
            (_("Brainstorming"), [_("Ideas"), _("Questions"), _("Next steps")])
        ],
        Method.CUSTOMER_PANEL: [
            (
                _("Customer panel"),
                [_("What works"), _("What does not work"), _("What to improve")],
            )
        ],
        Method.SERVICE_BLUEPRINT: [
            (
                _("Service blueprint"),
                [
                    _("Customer actions"),
                    _("Front stage"),
                    _("Back stage"),
                    _("Support processes"),
                ],
            )
        ],
        Method.KEEP_CHANGE_START: [
            (_("Keep, change, start"), [_("Keep"), _("Change"), _("Start")])
        ],
    }


def _unique_join_code() -> str:
    for _attempt in range(20):
        code = new_join_code()
        if not Workshop.objects.filter(join_code=code).exists():
            return code
    raise RuntimeError("could not find a free join code")  # 31^6 codes: never


@transaction.atomic
def workshop_create(
    *,
    user,
    city: City,
    title: str,
    starts_at: datetime,
    method: str = Method.SERVICE_JAM,
    description: str = "",
    ends_at: datetime | None = None,
    language: str = "fi",
    capacity: int | None = None,
    join_code: str | None = None,
    joining: str = Joining.OPEN,
    template: BoardTemplate | None = None,
) -> Workshop:
    """Create a workshop with the boards and columns of its method template, or
    with one board set up as a facilitator's saved board `template`."""
    if not rules.has_perm("workshops.create_workshop", user, city):
        raise Forbidden(_("Only the city's facilitators may create workshops."))
    title = clean_text(title, multiline=False)
    if not title:
        raise Invalid(_("Give the workshop a title."), field="title", code="empty")
    if method not in Method.values:
        raise Invalid(_("Unknown method."), field="method")
    if ends_at is not None and ends_at <= starts_at:
        raise Invalid(_("The workshop must end after it starts."), field="ends_at")
    _require_joining(joining)
    workshop = Workshop.objects.create(
        joining=joining,
        title=title,
        description=clean_text(description),
        city=city,
        starts_at=starts_at,
        ends_at=ends_at,
        language=language,
        capacity=capacity,
        method=method,
        join_code=join_code or _unique_join_code(),
    )
    workshop.facilitators.add(user)
    if template is not None:
        board_from_template(user=user, workshop=workshop, template=template)
        return workshop
    with translation.override(language):
        for position, (board_title, columns) in enumerate(_method_boards()[method]):
            board = Board.objects.create(
                workshop=workshop, title=board_title, position=position
            )
            Column.objects.bulk_create(
                Column(board=board, title=name, position=i)
                for i, name in enumerate(columns)
            )
    return workshop


@transaction.atomic
def workshop_update(*, user, workshop: Workshop, **fields: Any) -> Workshop:
    """Change a workshop's details (title, description, times, language, capacity,
    how people join)."""
    require_facilitator(user, workshop)
    allowed = {
        "title",
        "description",
        "starts_at",
        "ends_at",
        "language",
        "capacity",
        "joining",
    }
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError(f"{name} cannot be changed here")
        if name == "title":
            value = clean_text(value, multiline=False)
            if not value:
                raise Invalid(
                    _("Give the workshop a title."), field="title", code="empty"
                )
        elif name == "description":
            value = clean_text(value)
        elif name == "joining":
            _require_joining(value)
        setattr(workshop, name, value)
    if workshop.ends_at and workshop.ends_at <= workshop.starts_at:
        raise Invalid(_("The workshop must end after it starts."), field="ends_at")
    workshop.save()
    searchables.reindex_on_commit("workshop", workshop.pk)
    return workshop


def _require_joining(joining: str) -> None:
    if joining not in Joining.values:
        raise Invalid(_("Choose how people join."), field="joining")


@transaction.atomic
def workshop_close(*, user, workshop: Workshop, summary: str = "") -> Workshop:
    """Close the workshop: every board is locked and the results page opens."""
    require_facilitator(user, workshop)
    workshop.summary = clean_text(summary)
    if workshop.closed_at is None:
        workshop.closed_at = timezone.now()
    workshop.save(update_fields=["summary", "closed_at", "updated_at"])
    searchables.reindex_on_commit("workshop", workshop.pk)
    for board in lock_rows(Board.objects.filter(workshop=workshop)).values():
        if not board.locked:
            board.locked = True
            board.save(update_fields=["locked", "updated_at"])
            board_event_append(board=board, kind="board.locked", payload={})
    return workshop


@transaction.atomic
def workshop_publish(*, user, workshop: Workshop, published: bool = True) -> Workshop:
    """Open (or withdraw) a closed workshop's results as open data."""
    require_facilitator(user, workshop)
    if published and not workshop.is_closed:
        raise Invalid(
            _("Close the workshop before publishing its results."), code="not_closed"
        )
    now = timezone.now()
    fields = ["results_published", "results_published_at", "updated_at"]
    workshop.results_published = published
    workshop.results_published_at = now if published else None
    if published:
        # Kept from the first publication on; decided by the row, not by the
        # caller's copy, which may predate an earlier publication.
        workshop.first_published_at = Coalesce(F("first_published_at"), Value(now))
        fields.append("first_published_at")
    workshop.save(update_fields=fields)
    if published:
        workshop.refresh_from_db(fields=["first_published_at"])
        if workshop.first_published_at == now:  # the first publication only
            notify(kind=RESULTS_KIND, target=workshop, actor=user)
    searchables.reindex_on_commit("workshop", workshop.pk)
    return workshop


# --- Columns ------------------------------------------------------------------


def _clean_column_title(title: str) -> str:
    title = clean_text(title, multiline=False)[:120]
    if not title:
        raise Invalid(_("Give the column a title."), field="title", code="empty")
    return title


@transaction.atomic
def column_add(*, user, board: Board, title: str) -> Column:
    """Add a column at the end of the board; event `column.added {column}`."""
    require_facilitator(user, board.workshop)
    title = _clean_column_title(title)
    locked = lock_row(Board, board.pk)
    last = locked.columns.aggregate(m=Max("position"))["m"]
    column = Column.objects.create(
        board=locked, title=title, position=0 if last is None else last + 1
    )
    board_event_append(
        board=locked, kind="column.added", payload={"column": column_data(column)}
    )
    return column


@transaction.atomic
def column_rename(*, user, column: Column, title: str) -> Column:
    """Rename a column; event `column.renamed {column}` (none if unchanged)."""
    require_facilitator(user, column.board.workshop)
    title = _clean_column_title(title)
    locked = lock_row(Board, column.board_id)
    current = Column.objects.get(pk=column.pk)
    if current.title != title:
        current.title = title
        current.save(update_fields=["title"])
        board_event_append(
            board=locked,
            kind="column.renamed",
            payload={"column": column_data(current)},
        )
    column.title = title
    return current


@transaction.atomic
def column_move(*, user, column: Column, offset: int) -> None:
    """Move a column `offset` places left (negative) or right, renumbering all.

    Event `columns.reordered {columns}` with every column in its new order (none
    when the column was already at that end).
    """
    require_facilitator(user, column.board.workshop)
    locked = lock_row(Board, column.board_id)
    columns = list(locked.columns.order_by("position", "id"))
    index = next(i for i, c in enumerate(columns) if c.pk == column.pk)
    target = max(0, min(len(columns) - 1, index + offset))
    columns.insert(target, columns.pop(index))
    changed = [c for position, c in enumerate(columns) if c.position != position]
    if not changed:
        return
    for position, item in enumerate(columns):
        item.position = position
    Column.objects.bulk_update(changed, ["position"])
    board_event_append(
        board=locked,
        kind="columns.reordered",
        payload={"columns": [column_data(c) for c in columns]},
    )
