"""Every write to workshops and boards.

Board changes go through `board_change`: authorise, sanitise, then in one
transaction lock the board row, take its next sequence number, write the change and
its `BoardEvent`, and broadcast on commit. The consumer, the views and the demo
loader all call these functions.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections import deque
from collections.abc import Sequence
from contextvars import Context
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import has_city_role
from core.models import City
from core.sanitize import clean_text
from ideas import services as ideas_services
from ideas.models import TITLE_MAX_LENGTH, Dream, DreamStatus
from workshops import protocol
from workshops.models import (
    CARD_TEXT_MAX,
    CARDS_PER_BOARD_MAX,
    Board,
    BoardEvent,
    Card,
    Color,
    Column,
    Method,
    Participant,
    Phase,
    Presence,
    Vote,
    Workshop,
    new_join_code,
)
from workshops.protocol import ProtocolError

logger = logging.getLogger(__name__)

# A client further behind than this gets a snapshot instead of the missed events.
RESYNC_MAX_EVENTS = 1000
# Dreams one facilitator may place onto a board in one go.
DREAMS_PER_PLACEMENT_MAX = 20
# Cards placed from dreams stand out from the participants' own notes.
DREAM_CARD_COLOR = Color.BLUE


# --- Who may do what ----------------------------------------------------------


def workshop_is_facilitator(user, workshop: Workshop) -> bool:
    """Facilitators of the city, and the workshop's own listed facilitators."""
    if user is None or not user.is_authenticated:
        return False
    if has_city_role(user, workshop.city_id, Role.FACILITATOR):
        return True
    return workshop.facilitators.filter(pk=user.pk).exists()


def _require_facilitator(user, workshop: Workshop) -> None:
    if not workshop_is_facilitator(user, workshop):
        raise PermissionError(_("Only the workshop's facilitators may do this."))


# --- Workshops ----------------------------------------------------------------


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
) -> Workshop:
    """Create a workshop with the boards and columns of its method template."""
    if not has_city_role(user, city, Role.FACILITATOR):
        raise PermissionError(_("Only the city's facilitators may create workshops."))
    title = clean_text(title, multiline=False)
    if not title:
        raise ValidationError({"title": _("Give the workshop a title.")})
    if method not in Method.values:
        raise ValidationError({"method": _("Unknown method.")})
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The workshop must end after it starts.")})
    workshop = Workshop.objects.create(
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
    """Change a workshop's details (title, description, times, language, capacity)."""
    _require_facilitator(user, workshop)
    allowed = {"title", "description", "starts_at", "ends_at", "language", "capacity"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError(f"{name} cannot be changed here")
        if name == "title":
            value = clean_text(value, multiline=False)
            if not value:
                raise ValidationError({"title": _("Give the workshop a title.")})
        elif name == "description":
            value = clean_text(value)
        setattr(workshop, name, value)
    if workshop.ends_at and workshop.ends_at <= workshop.starts_at:
        raise ValidationError({"ends_at": _("The workshop must end after it starts.")})
    workshop.save()
    return workshop


@transaction.atomic
def workshop_close(*, user, workshop: Workshop, summary: str = "") -> Workshop:
    """Close the workshop: every board is locked and the results page opens."""
    _require_facilitator(user, workshop)
    workshop.summary = clean_text(summary)
    if workshop.closed_at is None:
        workshop.closed_at = timezone.now()
    workshop.save(update_fields=["summary", "closed_at", "updated_at"])
    for board in Board.objects.select_for_update().filter(workshop=workshop):
        if not board.locked:
            board.locked = True
            board.save(update_fields=["locked", "updated_at"])
            _append_event(board, "board.locked", {}, participant=None)
    return workshop


@transaction.atomic
def workshop_publish(*, user, workshop: Workshop, published: bool = True) -> Workshop:
    """Open (or withdraw) a closed workshop's results as open data."""
    _require_facilitator(user, workshop)
    if published and not workshop.is_closed:
        raise ValidationError(_("Close the workshop before publishing its results."))
    workshop.results_published = published
    workshop.results_published_at = timezone.now() if published else None
    workshop.save(
        update_fields=["results_published", "results_published_at", "updated_at"]
    )
    return workshop


# --- Columns ------------------------------------------------------------------
#
# Column edits are board changes like the others: numbered in the board's event
# log under the board's row lock and broadcast on commit (`column.added`,
# `column.renamed`, `columns.reordered`), so open boards follow them live and a
# reconnecting client gets them with `hello {last_seq}`.


def column_data(column: Column) -> dict[str, Any]:
    return {"id": column.pk, "title": column.title, "position": column.position}


def _locked_board(board_id: int) -> Board:
    return Board.objects.select_for_update().select_related("workshop").get(pk=board_id)


def _clean_column_title(title: str) -> str:
    title = clean_text(title, multiline=False)[:120]
    if not title:
        raise ValidationError({"title": _("Give the column a title.")})
    return title


@transaction.atomic
def column_add(*, user, board: Board, title: str) -> Column:
    """Add a column at the end of the board; event `column.added {column}`."""
    _require_facilitator(user, board.workshop)
    title = _clean_column_title(title)
    locked = _locked_board(board.pk)
    last = locked.columns.aggregate(m=Max("position"))["m"]
    column = Column.objects.create(
        board=locked, title=title, position=0 if last is None else last + 1
    )
    _append_event(
        locked, "column.added", {"column": column_data(column)}, participant=None
    )
    return column


@transaction.atomic
def column_rename(*, user, column: Column, title: str) -> Column:
    """Rename a column; event `column.renamed {column}` (none if unchanged)."""
    _require_facilitator(user, column.board.workshop)
    title = _clean_column_title(title)
    locked = _locked_board(column.board_id)
    current = Column.objects.get(pk=column.pk)
    if current.title != title:
        current.title = title
        current.save(update_fields=["title"])
        _append_event(
            locked, "column.renamed", {"column": column_data(current)}, participant=None
        )
    column.title = title
    return current


@transaction.atomic
def column_move(*, user, column: Column, offset: int) -> None:
    """Move a column `offset` places left (negative) or right, renumbering all.

    Event `columns.reordered {columns}` with every column in its new order (none
    when the column was already at that end).
    """
    _require_facilitator(user, column.board.workshop)
    locked = _locked_board(column.board_id)
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
    _append_event(
        locked,
        "columns.reordered",
        {"columns": [column_data(c) for c in columns]},
        participant=None,
    )


# --- Participants -------------------------------------------------------------


@transaction.atomic
def participant_join(
    *, workshop: Workshop, display_name: str, user=None
) -> Participant:
    """Join a workshop by its code; a logged-in user joins once and keeps their row."""
    name = clean_text(display_name, multiline=False)[:60]
    if not name:
        raise ValidationError({"display_name": _("Tell the others your name.")})
    if workshop.is_closed:
        raise ValidationError(_("This workshop has ended."))
    if user is not None and user.is_authenticated:
        existing = workshop.participants.filter(user=user).first()
        if existing is not None:
            if existing.removed_at is not None:
                raise PermissionError(_("You were removed from this workshop."))
            existing.display_name = name
            existing.save(update_fields=["display_name", "updated_at"])
            return existing
    # Lock the workshop row so two people cannot both take the last place.
    Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
    if workshop.capacity is not None:
        joined = workshop.participants.filter(removed_at__isnull=True).count()
        if joined >= workshop.capacity:
            raise ValidationError(_("This workshop is full."))
    return Participant.objects.create(
        workshop=workshop,
        display_name=name,
        user=user if user is not None and user.is_authenticated else None,
    )


def participant_for_facilitator(*, workshop: Workshop, user) -> Participant:
    """The facilitator's own participant row on the workshop (created once)."""
    participant = workshop.participants.filter(user=user).first()
    if participant is not None:
        return participant
    try:
        with transaction.atomic():
            return Participant.objects.create(
                workshop=workshop,
                user=user,
                display_name=clean_text(user.display_name, multiline=False)[:60]
                or _("Facilitator"),
            )
    except IntegrityError:  # created meanwhile by another connection
        return workshop.participants.get(user=user)


@transaction.atomic
def participant_remove(*, user, participant: Participant) -> Participant:
    """Remove a participant: their sockets close and they cannot rejoin."""
    workshop = participant.workshop
    _require_facilitator(user, workshop)
    if participant.removed_at is None:
        participant.removed_at = timezone.now()
        participant.save(update_fields=["removed_at", "updated_at"])
        for board in Board.objects.select_for_update().filter(workshop=workshop):
            _append_event(
                board,
                "participant.removed",
                {"participant": participant.pk},
                participant=None,
            )
    return participant


# --- Board access ---------------------------------------------------------------


@dataclass(frozen=True)
class BoardAccess:
    board_id: int
    workshop_id: int
    participant_id: int
    display_name: str
    facilitator: bool


SESSION_KEY = "workshop_participants"


def session_participant_id(session, workshop_id: int) -> int | None:
    mapping = session.get(SESSION_KEY, {}) if session is not None else {}
    value = mapping.get(str(workshop_id))
    return value if isinstance(value, int) else None


def session_participant_remember(session, participant: Participant) -> None:
    mapping = dict(session.get(SESSION_KEY, {}))
    mapping[str(participant.workshop_id)] = participant.pk
    session[SESSION_KEY] = mapping


def board_access(*, board: Board, user, session) -> BoardAccess | None:
    """Who this connection or request is on the board, or None (not a participant)."""
    workshop = board.workshop
    facilitator = workshop_is_facilitator(user, workshop)
    participant = None
    if facilitator:
        participant = participant_for_facilitator(workshop=workshop, user=user)
    else:
        if user is not None and user.is_authenticated:
            participant = workshop.participants.filter(user=user).first()
        if participant is None:
            pid = session_participant_id(session, workshop.pk)
            if pid is not None:
                participant = workshop.participants.filter(pk=pid).first()
    if participant is None or participant.removed_at is not None:
        return None
    return BoardAccess(
        board_id=board.pk,
        workshop_id=workshop.pk,
        participant_id=participant.pk,
        display_name=participant.display_name,
        facilitator=facilitator,
    )


def board_connect(*, board_id: int, user, session) -> BoardAccess | None:
    board = Board.objects.select_related("workshop").filter(pk=board_id).first()
    if board is None:
        return None
    return board_access(board=board, user=user, session=session)


# --- Serialising the board -------------------------------------------------------


def card_data(card: Card, votes: int = 0) -> dict[str, Any]:
    return {
        "id": card.pk,
        "column": card.column_id,
        "position": card.position,
        "text": card.text,
        "color": card.color,
        "author": card.author.display_name if card.author else "",
        "author_id": card.author_id,
        "group": card.group or None,
        "votes": votes,
        "version": card.version,
        "hidden": card.hidden,
        "from_dream": card.from_dream_id,
    }


def withhold(data: dict[str, Any]) -> dict[str, Any]:
    """A hidden card as others see it: neither its text nor the dream it shows."""
    return {**data, "text": None, "from_dream": None}


def redact(payload: dict[str, Any]) -> dict[str, Any]:
    """The event as sent to anyone but the author of a hidden card: no text."""
    card = payload.get("card")
    if isinstance(card, dict) and card.get("hidden"):
        return {**payload, "card": withhold(card)}
    return payload


def _votes_by_card(board_id: int) -> dict[int, int]:
    return dict(
        Vote.objects.filter(board_id=board_id)
        .values("card_id")
        .annotate(n=Count("id"))
        .values_list("card_id", "n")
    )


def _vote_budget_of(board: Board, participant: Participant) -> int:
    if participant.vote_budget is not None:
        return participant.vote_budget
    return board.vote_budget


def _votes_left(board: Board, participant: Participant) -> int:
    used = Vote.objects.filter(board=board, participant=participant).count()
    return max(0, _vote_budget_of(board, participant) - used)


@transaction.atomic
def board_snapshot(*, access: BoardAccess) -> dict[str, Any]:
    """The whole board as `access`'s participant may see it, at one `seq`."""
    # The row lock makes seq, cards and votes one consistent picture.
    board = Board.objects.select_for_update().get(pk=access.board_id)
    participant = Participant.objects.get(pk=access.participant_id)
    votes = _votes_by_card(board.pk)
    cards = []
    for card in board.cards.select_related("author").order_by(
        "column__position", "column_id", "position", "id"
    ):
        data = card_data(card, votes.get(card.pk, 0))
        if card.hidden and card.author_id != participant.pk:
            data = withhold(data)
        cards.append(data)
    return {
        "type": "snapshot",
        "seq": board.seq,
        "board": board_state(board),
        "columns": [
            {"id": c.pk, "title": c.title, "position": c.position}
            for c in board.columns.all()
        ],
        "cards": cards,
        "votes_left": _votes_left(board, participant),
        "you": {
            "id": participant.pk,
            "name": participant.display_name,
            "facilitator": access.facilitator,
        },
        "presence": presence_list(board.pk),
    }


def board_state(board: Board) -> dict[str, Any]:
    return {
        "id": board.pk,
        "title": board.title,
        "workshop": board.workshop_id,
        "phase": board.phase,
        "locked": board.locked,
        "timer_ends_at": _iso(board.timer_ends_at),
        "vote_budget": board.vote_budget,
        "now": _iso(timezone.now()),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def board_events_since(*, access: BoardAccess, last_seq: int) -> list[dict] | None:
    """The events after `last_seq` as `event` messages, or None: send a snapshot."""
    board_seq = (
        Board.objects.filter(pk=access.board_id).values_list("seq", flat=True).first()
    )
    if board_seq is None or last_seq <= 0 or last_seq > board_seq:
        return None
    if board_seq - last_seq > RESYNC_MAX_EVENTS:
        return None
    events = list(
        BoardEvent.objects.filter(board_id=access.board_id, seq__gt=last_seq).order_by(
            "seq"
        )
    )
    if len(events) != board_seq - last_seq or (
        events and events[0].seq != last_seq + 1
    ):
        return None  # the log no longer holds them all
    messages = []
    for event in events:
        payload = event.payload
        if event.private_to_id and event.private_to_id != access.participant_id:
            payload = redact(payload)
        messages.append(_event_message(event.seq, payload, event.op))
    return messages


def _event_message(seq: int, payload: dict, op: str) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "event", "seq": seq, "event": payload}
    if op:
        message["op"] = op
    return message


# --- Broadcasting ----------------------------------------------------------------


def board_group(board_id: int) -> str:
    return f"board.{board_id}"


def _group_send(messages: list[tuple[str, dict]]) -> None:
    """Send from `on_commit`; the channel layer is a best-effort bus.

    Called on the thread `database_sync_to_async` runs services on (one per
    process), the sends are handed to the event loop that called in and this returns
    at once: the database thread goes on to the next change instead of waiting for
    the loop, which is busy delivering the previous event to every socket. Without a
    calling loop (management commands, the test client) it sends synchronously.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _calling_event_loop()
    if loop is not None:
        # A fresh context: the callback must not inherit this thread's asgiref
        # state (it would think it runs inside the database thread).
        loop.call_soon_threadsafe(_outbox_post, messages, context=Context())
        return

    async def send_all() -> None:
        for group, message in messages:
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:  # noqa: BLE001 - clients resync by seq; never fail a commit
        logger.exception("board broadcast failed")


def _calling_event_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop whose `sync_to_async` call this thread serves."""
    # asgiref records it for AsyncToSync; read it the same way asgiref does.
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop if loop.is_running() and not loop.is_closed() else None


# Per event loop: batches of messages waiting to be sent, in commit order. One
# drain task per loop sends them one after another, so a process's events leave
# in the order the database numbered them.
_outboxes: dict[asyncio.AbstractEventLoop, deque] = {}
_drains: set[asyncio.Task] = set()


def _outbox_post(messages: list[tuple[str, dict]]) -> None:
    loop = asyncio.get_running_loop()
    pending = _outboxes.get(loop)
    if pending is not None:
        pending.append(messages)
        return
    _outboxes[loop] = deque([messages])
    task = loop.create_task(_outbox_drain(loop))
    _drains.add(task)
    task.add_done_callback(_drains.discard)


async def _outbox_drain(loop: asyncio.AbstractEventLoop) -> None:
    pending = _outboxes[loop]
    try:
        while pending:
            messages = pending.popleft()
            try:
                layer = get_channel_layer()
                for group, message in messages:
                    await layer.group_send(group, message)
            except Exception:  # noqa: BLE001 - clients resync by seq
                logger.exception("board broadcast failed")
    finally:
        # Nothing awaits between the empty check and here, so no batch is lost.
        del _outboxes[loop]


def _broadcast_event(event: BoardEvent) -> None:
    """Send the event once to the board's group, already encoded for the wire.

    One message per event: `text` is what everyone receives (hidden card text
    withheld); when the event is private to its author, `private_text` carries the
    full text and each process's consumers send it to that participant's sockets
    only. The full text never leaves the server for anyone else.
    """
    message = {
        "type": "board.event",
        "board": event.board_id,
        "text": json.dumps(_event_message(event.seq, redact(event.payload), event.op)),
        "private_to": event.private_to_id,
        "removed": event.payload.get("participant")
        if event.type == "participant.removed"
        else None,
    }
    if event.private_to_id:
        message["private_text"] = json.dumps(
            _event_message(event.seq, event.payload, event.op)
        )
    _group_send([(board_group(event.board_id), message)])


def _append_event(
    board: Board,
    kind: str,
    payload: dict[str, Any],
    *,
    participant: Participant | None,
    op: str = "",
    private_to: Participant | int | None = None,
) -> BoardEvent:
    """Number and log one change of a locked `board` row; broadcast on commit.

    The caller read `board` under select_for_update in this transaction (on SQLite
    the IMMEDIATE transaction holds the write lock), so no one else numbers events
    of this board until it commits.
    """
    board.seq = _board_take_seq(board.pk)[0]
    return _log_event(
        board.pk,
        board.seq,
        kind,
        payload,
        participant=participant,
        op=op,
        private_to=private_to,
    )


def _board_take_seq(board_id: int) -> tuple | None:
    """Increment the board's `seq` and return the row's current state, or None.

    `(seq, phase, locked, vote_budget, timer_ends_at, workshop_id)`. The UPDATE
    takes the board's row lock (PostgreSQL) until the transaction ends, and the
    values it returns are the latest committed ones: every board change is
    serialised per board on this statement, and a refused change rolls the number
    back with its transaction, so the sequence stays gap-free.
    """
    table = connection.ops.quote_name(Board._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET seq = seq + 1 WHERE id = %s "  # noqa: S608 - our table
            "RETURNING seq, phase, locked, vote_budget, timer_ends_at, workshop_id",
            [board_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    seq, phase, locked, vote_budget, timer_ends_at, workshop_id = row
    if isinstance(timer_ends_at, str):  # SQLite hands back the stored text
        timer_ends_at = parse_datetime(timer_ends_at)
        if timer_ends_at is not None and timezone.is_naive(timer_ends_at):
            timer_ends_at = timezone.make_aware(timer_ends_at, UTC)
    return seq, phase, bool(locked), vote_budget, timer_ends_at, workshop_id


def _board_from_state(board_id: int, state: tuple) -> Board:
    """The Board row `_board_take_seq` returned (other fields deferred)."""
    names = ("seq", "phase", "locked", "vote_budget", "timer_ends_at", "workshop_id")
    values = {"id": board_id, **dict(zip(names, state, strict=True))}
    # from_db takes the values in the model's field order.
    fields = [f.attname for f in Board._meta.concrete_fields if f.attname in values]
    return Board.from_db(connection.alias, fields, [values[f] for f in fields])


def _log_event(
    board_id: int,
    seq: int,
    kind: str,
    payload: dict[str, Any],
    *,
    participant: Participant | None,
    op: str = "",
    private_to: Participant | int | None = None,
) -> BoardEvent:
    """Write event `seq` of the board (one INSERT) and broadcast it on commit."""
    event = BoardEvent.objects.create(
        board_id=board_id,
        seq=seq,
        type=kind,
        op=op,
        participant=participant,
        private_to_id=private_to.pk
        if isinstance(private_to, Participant)
        else private_to,
        payload={"type": kind, **payload},
    )
    transaction.on_commit(lambda: _broadcast_event(event))
    return event


# --- Presence ---------------------------------------------------------------------
#
# A Presence row per open socket, held on a lease: the process serving the socket
# renews `last_seen` every PRESENCE_HEARTBEAT seconds (one UPDATE for all its
# sockets, see consumers.PresenceHeartbeat). A process that dies without running
# its disconnect handlers stops renewing; after PRESENCE_LEASE its rows no longer
# count, and the next prune deletes them and tells the boards' participants.

PRESENCE_HEARTBEAT = 20
PRESENCE_LEASE = 60
# A burst of joins or leaves on a board becomes one presence message per process.
PRESENCE_DEBOUNCE = 0.25


def _lease_start() -> datetime:
    return timezone.now() - timedelta(seconds=PRESENCE_LEASE)


def presence_list(board_id: int) -> list[dict[str, Any]]:
    rows = (
        Presence.objects.filter(board_id=board_id, last_seen__gte=_lease_start())
        .values_list("participant_id", "participant__display_name")
        .distinct()
        .order_by("participant__display_name", "participant_id")
    )
    return [{"id": pid, "name": name} for pid, name in rows]


def presence_broadcast(board_id: int) -> None:
    """Send the board's presence list to everyone on it (encoded once)."""
    message = {"type": "presence", "participants": presence_list(board_id)}
    _group_send(
        [
            (
                board_group(board_id),
                {
                    "type": "board.presence",
                    "board": board_id,
                    "text": json.dumps(message),
                },
            )
        ]
    )


def _presence_changed(board_id: int) -> None:
    """On commit: broadcast the board's presence, coalescing bursts per process."""
    loop = _calling_event_loop()
    if loop is None:
        presence_broadcast(board_id)
    else:
        loop.call_soon_threadsafe(_presence_schedule, board_id, context=Context())


_presence_due: dict[asyncio.AbstractEventLoop, set[int]] = {}


def _presence_schedule(board_id: int) -> None:
    loop = asyncio.get_running_loop()
    due = _presence_due.setdefault(loop, set())
    if board_id in due:
        return  # a broadcast is coming and will read the list then
    due.add(board_id)
    loop.call_later(PRESENCE_DEBOUNCE, _presence_fire, loop, board_id)


def _presence_fire(loop: asyncio.AbstractEventLoop, board_id: int) -> None:
    due = _presence_due.get(loop, set())
    due.discard(board_id)
    if not due:
        _presence_due.pop(loop, None)
    task = loop.create_task(_presence_send(board_id), context=Context())
    _drains.add(task)
    task.add_done_callback(_drains.discard)


async def _presence_send(board_id: int) -> None:
    try:
        await database_sync_to_async(presence_broadcast)(board_id)
    except Exception:  # noqa: BLE001 - presence is advisory; the next one corrects it
        logger.exception("presence broadcast failed")


@transaction.atomic
def presence_enter(*, access: BoardAccess, channel_name: str) -> None:
    Presence.objects.update_or_create(
        channel_name=channel_name,
        defaults={
            "board_id": access.board_id,
            "participant_id": access.participant_id,
            "last_seen": timezone.now(),
        },
    )
    transaction.on_commit(lambda: _presence_changed(access.board_id))


@transaction.atomic
def presence_leave(*, board_id: int, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()
    transaction.on_commit(lambda: _presence_changed(board_id))


def presence_renew(*, channel_names: list[str]) -> int:
    """Renew the lease of these live sockets' rows; how many rows were renewed."""
    now = timezone.now()
    renewed = 0
    for start in range(0, len(channel_names), 500):
        renewed += Presence.objects.filter(
            channel_name__in=channel_names[start : start + 500]
        ).update(last_seen=now)
    return renewed


@transaction.atomic
def presence_prune() -> list[int]:
    """Delete rows whose lease ran out; tell their boards. The boards' ids."""
    stale = Presence.objects.filter(last_seen__lt=_lease_start())
    boards = sorted(set(stale.values_list("board_id", flat=True)))
    if boards:
        stale.delete()
        for board_id in boards:
            transaction.on_commit(lambda b=board_id: _presence_changed(b))
    return boards


# --- Board changes ----------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    op: str
    seq: int
    duplicate: bool = False


@dataclass
class _Change:
    board: Board
    participant: Participant
    user: Any
    fields: dict[str, Any]
    op: str
    _facilitator: bool | None = None

    @property
    def facilitator(self) -> bool:
        if self._facilitator is None:
            self._facilitator = workshop_is_facilitator(self.user, self.board.workshop)
        return self._facilitator

    def error(self, code: str, message: str, **extra) -> ProtocolError:
        return ProtocolError(code, message, op=self.op, **extra)

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

    def require_author_or_facilitator(self, card: Card) -> None:
        if card.author_id != self.participant.pk and not self.facilitator:
            raise self.error(
                protocol.FORBIDDEN,
                _("Only the card's author or a facilitator may do this."),
            )

    def require_version(self, card: Card) -> None:
        if self.fields["version"] != card.version:
            votes = getattr(card, "votes", None)
            current = card_data(card, _card_votes(card) if votes is None else votes)
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


def _card_votes(card: Card) -> int:
    return Vote.objects.filter(card=card).count()


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


def _card_add(ch: _Change) -> Result:
    board = ch.board
    # The column, the board's card count and the column's last position: one query.
    column = (
        Column.objects.filter(pk=ch.fields["column"], board=board)
        .annotate(
            board_cards=_count(Card.objects.filter(board=board), "board"),
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
    text = ch.clean_card_text()
    last = column.last
    card = Card.objects.create(
        board=board,
        column=column,
        author=ch.participant,
        text=text,
        color=ch.fields.get("color") or "yellow",
        position=0 if last is None else last + 1,
        hidden=board.phase == Phase.SILENT,
        # Set only by `cards_place_dreams`: the protocol has no such field.
        from_dream_id=ch.fields.get("from_dream"),
    )
    private = ch.participant.pk if card.hidden else None
    return "card.added", {"card": card_data(card)}, private


def _card_edit(ch: _Change) -> Result:
    card = ch.card(votes=_card_vote_count())
    ch.require_author_or_facilitator(card)
    ch.require_version(card)
    card.text = ch.clean_card_text()
    card.version += 1
    card.save(update_fields=["text", "version", "updated_at"])
    private = card.author_id if card.hidden else None
    return "card.edited", {"card": card_data(card, card.votes)}, private


def _card_move(ch: _Change) -> Result:
    target = ch.fields["column"]
    card = ch.card(
        target_ok=Exists(Column.objects.filter(pk=target, board=ch.board)),
        votes=_card_vote_count(),
    )
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


def _card_delete(ch: _Change) -> Result:
    card = ch.card()
    ch.require_author_or_facilitator(card)
    column_id, card_id = card.column_id, card.pk
    card.delete()
    changed = _renumber(column_id, None, 0)
    Card.objects.bulk_update(changed, ["position"])
    return "card.deleted", {"card": card_id}, None


def _card_group(ch: _Change) -> Result:
    card = ch.card()
    card.group = clean_text(ch.fields["group"], multiline=False)
    card.version += 1
    card.save(update_fields=["group", "version", "updated_at"])
    return (
        "card.grouped",
        {"card": card.pk, "group": card.group or None, "version": card.version},
        None,
    )


def _vote_cast(ch: _Change) -> Result:
    # The card, its votes and the participant's votes on the board: one query. Every
    # vote is written under the board's lock, so the counts stay current.
    card = ch.card(
        votes=_card_vote_count(),
        used=_count(
            Vote.objects.filter(board=ch.board, participant=ch.participant),
            "participant",
        ),
    )
    if _vote_budget_of(ch.board, ch.participant) - card.used <= 0:
        raise ch.error(protocol.FORBIDDEN, _("You have no votes left."))
    Vote.objects.create(card=card, participant=ch.participant, board=ch.board)
    payload = {"card": card.pk, "votes": card.votes + 1}
    return "vote.cast", {**payload, "participant": ch.participant.pk}, None


def _vote_retract(ch: _Change) -> Result:
    card = ch.card(votes=_card_vote_count())
    vote = (
        Vote.objects.filter(card=card, participant=ch.participant)
        .values_list("pk", flat=True)
        .first()
    )
    if vote is None:
        raise ch.error(protocol.NOT_FOUND, _("You have no vote on this card."))
    Vote.objects.filter(pk=vote).delete()
    payload = {"card": card.pk, "votes": card.votes - 1}
    return "vote.retracted", {**payload, "participant": ch.participant.pk}, None


def _phase_set(ch: _Change) -> Result:
    ch.board.phase = ch.fields["phase"]
    ch.board.save(update_fields=["phase", "updated_at"])
    return "phase.set", {"phase": ch.board.phase}, None


def _timer_start(ch: _Change) -> Result:
    seconds = ch.fields["seconds"]
    ch.board.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
    ch.board.save(update_fields=["timer_ends_at", "updated_at"])
    return (
        "timer.started",
        {"seconds": seconds, "ends_at": _iso(ch.board.timer_ends_at)},
        None,
    )


def _timer_stop(ch: _Change) -> Result:
    ch.board.timer_ends_at = None
    ch.board.save(update_fields=["timer_ends_at", "updated_at"])
    return "timer.stopped", {}, None


def _board_lock(ch: _Change) -> Result:
    ch.board.locked = True
    ch.board.save(update_fields=["locked", "updated_at"])
    return "board.locked", {}, None


def _board_unlock(ch: _Change) -> Result:
    if ch.board.workshop.is_closed:
        raise ch.error(protocol.LOCKED, _("The workshop has ended."))
    ch.board.locked = False
    ch.board.save(update_fields=["locked", "updated_at"])
    return "board.unlocked", {}, None


def _board_reveal(ch: _Change) -> Result:
    hidden = list(
        Card.objects.select_related("author").filter(board=ch.board, hidden=True)
    )
    Card.objects.filter(pk__in=[c.pk for c in hidden]).update(
        hidden=False, updated_at=timezone.now()
    )
    votes = _votes_by_card(ch.board.pk)
    for card in hidden:
        card.hidden = False
    if ch.board.phase == Phase.SILENT:
        ch.board.phase = Phase.REVEAL
        ch.board.save(update_fields=["phase", "updated_at"])
    return (
        "board.revealed",
        {
            "phase": ch.board.phase,
            "cards": [card_data(c, votes.get(c.pk, 0)) for c in hidden],
        },
        None,
    )


def _vote_budget(ch: _Change) -> Result:
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


HANDLERS = {
    "card.add": _card_add,
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
}


def board_change(*, access: BoardAccess, user, message: protocol.Message) -> Applied:
    """Apply one validated change message; raise ProtocolError to refuse it.

    A retried `op` returns the first application's seq without applying again.
    """
    try:
        return _board_change(access=access, user=user, message=message)
    except IntegrityError:
        # The same op raced itself on another connection: answer with its seq.
        seq = _seq_of_op(access.participant_id, message.op)
        if seq is None:
            raise
        return Applied(op=message.op, seq=seq, duplicate=True)


def _seq_of_op(participant_id: int, op: str) -> int | None:
    return (
        BoardEvent.objects.filter(participant_id=participant_id, op=op)
        .values_list("seq", flat=True)
        .first()
    )


@transaction.atomic
def _board_change(*, access: BoardAccess, user, message: protocol.Message) -> Applied:
    op = message.op
    # 1. Lock the board and take its next number (rolled back if refused below).
    state = _board_take_seq(access.board_id)
    if state is None:
        raise ProtocolError(protocol.NOT_FOUND, _("No such board."), op=op)
    board = _board_from_state(access.board_id, state)
    # 2. Everything that may have changed since the connection opened, read after
    # the lock so it is current: the participant (removed? name, votes), the
    # workshop (closed?) and whether this op was applied already. One query.
    participant = (
        Participant.objects.select_related("workshop")
        .only(
            "display_name",
            "vote_budget",
            "removed_at",
            "workshop__city_id",
            "workshop__closed_at",
        )
        .annotate(
            op_seq=Subquery(
                BoardEvent.objects.filter(participant=OuterRef("pk"), op=op).values(
                    "seq"
                )[:1]
            )
        )
        .filter(pk=access.participant_id, workshop_id=board.workshop_id)
        .first()
    )
    if participant is None:  # the row is gone with the person's data
        raise ProtocolError(
            protocol.FORBIDDEN, _("You were removed from this workshop."), op=op
        )
    if participant.op_seq is not None:
        transaction.set_rollback(True)  # give the number back
        return Applied(op=op, seq=participant.op_seq, duplicate=True)
    board.workshop = participant.workshop
    change = _Change(
        board=board, participant=participant, user=user, fields=message.fields, op=op
    )
    if participant.removed_at is not None:
        raise change.error(
            protocol.FORBIDDEN, _("You were removed from this workshop.")
        )
    if message.type in protocol.FACILITATOR_ONLY and not change.facilitator:
        raise change.error(protocol.FORBIDDEN, _("Only facilitators may do this."))
    if board.workshop.is_closed and message.type != "board.lock":
        raise change.error(protocol.LOCKED, _("The workshop has ended."))
    if board.locked and not change.facilitator:
        raise change.error(protocol.LOCKED, _("The board is locked."))
    kind, payload, private_to = HANDLERS[message.type](change)
    event = _log_event(
        board.pk,
        board.seq,
        kind,
        payload,
        participant=participant,
        op=op,
        private_to=private_to,
    )
    return Applied(op=op, seq=event.seq)


# --- Service dreams and cards ------------------------------------------------------
#
# Dreams meet workshops in two directions. Both write the workshops side (the card's
# `from_dream` / `became_dream`) and the ideas side (status, `DreamLink`) through
# the ideas services, in one transaction.


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
    PermissionError or ValidationError having written nothing.
    """
    workshop = board.workshop
    _require_facilitator(by, workshop)
    ids = list(dict.fromkeys(dream.pk for dream in dreams))
    if not ids:
        raise ValidationError({"dreams": _("Choose at least one dream.")})
    if len(ids) > DREAMS_PER_PLACEMENT_MAX:
        raise ValidationError(
            {
                "dreams": _("Place at most %(n)d dreams at a time.")
                % {"n": DREAMS_PER_PLACEMENT_MAX}
            }
        )
    locked = _locked_board(board.pk)
    workshop = locked.workshop
    if workshop.is_closed:
        raise ValidationError(_("The workshop has ended."))
    if column.board_id != locked.pk:
        raise ValidationError({"column": _("No such column on this board.")})
    found = {
        dream.pk: dream
        for dream in Dream.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    problems = [
        problem
        for problem in (_placement_problem(found.get(pk), workshop) for pk in ids)
        if problem
    ]
    if problems:
        raise ValidationError(problems)
    if not all(ideas_services.can_triage(by, found[pk]) for pk in ids):
        raise PermissionError(
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
        raise ValidationError(
            _(
                "The board has room for %(room)d more cards (at most %(n)d); "
                "none of the dreams were placed."
            )
            % {"room": max(room, 0), "n": CARDS_PER_BOARD_MAX}
        )

    participant = participant_for_facilitator(workshop=workshop, user=by)
    change = _Change(board=locked, participant=participant, user=by, fields={}, op="")
    with translation.override(workshop.language):
        reason = _("Taken to the workshop “%(title)s”.") % {"title": workshop.title}
    card_ids = []
    for pk in ids:
        dream = found[pk]
        change.fields = {
            "column": column.pk,
            "text": dream_card_text(dream),
            "color": DREAM_CARD_COLOR,
            "from_dream": dream.pk,
        }
        try:
            kind, payload, private_to = _card_add(change)
        except ProtocolError as error:
            raise ValidationError(error.message) from None
        _append_event(
            locked, kind, payload, participant=participant, private_to=private_to
        )
        card_ids.append(payload["card"]["id"])
        try:
            if dream.status in (DreamStatus.NEW, DreamStatus.UNDER_REVIEW):
                ideas_services.dream_status_change(
                    dream=dream, to_status=DreamStatus.IN_WORKSHOP, by=by, reason=reason
                )
            ideas_services.dream_link_add(
                dream=dream, by=by, workshop_id=workshop.pk, label=workshop.title
            )
        except PermissionDenied as error:  # checked above; the ideas rule decides
            raise PermissionError(str(error)) from None
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
    _require_facilitator(by, workshop)
    locked = (
        Card.objects.select_for_update()
        .select_related("board")
        .filter(pk=card.pk)
        .first()
    )
    if locked is None or locked.board.workshop_id != workshop.pk:
        raise ValidationError(_("This card is not on this workshop's boards."))
    if locked.became_dream_id is not None:
        raise ValidationError(
            _("This card already became dream #%(n)d.") % {"n": locked.became_dream_id},
            code="already",
        )
    if locked.hidden:
        raise ValidationError(_("Reveal the card before turning it into a dream."))
    if city is not None and city.pk != workshop.city_id:
        raise ValidationError(
            {"city": _("The dream belongs to the workshop's city or to all cities.")}
        )
    try:
        dream = ideas_services.dream_create_from_card(
            card_text=locked.text if description is None else description,
            title=title,
            city=city,
            facilitator=by,
            workshop_ref=workshop.pk,
            target_group=target_group,
            language=language or workshop.language,
        )
    except PermissionDenied as error:
        raise PermissionError(str(error)) from None
    locked.became_dream = dream
    locked.save(update_fields=["became_dream", "updated_at"])
    card.became_dream = dream
    return dream
