"""Board changes: one validated protocol message applied in one transaction.

`board_change` locks the board by taking its next number, re-reads what may have
changed since the socket opened, asks the board rules (`workshops.rules`) whether
this participant may do this now, runs the message type's handler
(`workshops.services.handlers`) and logs its event. The consumer, the
no-JavaScript forms and the placing of dreams all come through here.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.ratelimit import limit_exceeded
from core.realtime import stages
from core.realtime.streams import Applied
from workshops import protocol
from workshops.models import (
    CHANGE_WINDOW,
    CHANGES_PER_PARTICIPANT,
    Board,
    Participant,
)
from workshops.protocol import ProtocolError
from workshops.rules import Seat
from workshops.services.events import (
    BOARDS,
    board_event_append,
    board_op_seq,
    board_seq_take,
)
from workshops.services.handlers import HANDLERS, Change, card_add
from workshops.services.participants import BoardAccess

__all__ = ["Applied", "board_card_add", "board_change"]


def board_change(*, access: BoardAccess, user, message: protocol.Message) -> Applied:
    """Apply one validated change message; raise ProtocolError to refuse it.

    A retried `op` returns the first application's seq without applying again.
    Each participant has CHANGES_PER_PARTICIPANT changes in CHANGE_WINDOW seconds
    over all their sockets and forms (counted in the cache, so across processes).
    """
    if limit_exceeded(
        f"boards:changes:{access.participant_id}",
        limit=CHANGES_PER_PARTICIPANT,
        window_seconds=CHANGE_WINDOW,
    ):
        stages.lap("ratelimit")
        raise ProtocolError(
            protocol.RATE_LIMITED,
            _("Too many changes in a short time. Wait a moment and try again."),
            op=message.op,
        )
    stages.lap("ratelimit")
    try:
        applied = _board_change(access=access, user=user, message=message)
        stages.lap("commit")  # the atomic block ended (and ran its on_commit)
        return applied
    except IntegrityError:
        # The same op raced itself on another connection: answer with its seq.
        seq = board_op_seq(access.participant_id, message.op)
        if seq is None:
            raise
        return Applied(op=message.op, seq=seq, duplicate=True)


@transaction.atomic
def _board_change(*, access: BoardAccess, user, message: protocol.Message) -> Applied:
    op = message.op
    stages.lap("connect")  # a pooled connection lent and the transaction opened
    # 1. Lock the board and take its next number (rolled back if refused below).
    board = board_seq_take(access.board_id)
    stages.lap("lock")
    if board is None:
        raise ProtocolError(protocol.NOT_FOUND, _("No such board."), op=op)
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
        .annotate(op_seq=BOARDS.op_seq_subquery(op))
        .filter(pk=access.participant_id, workshop_id=board.workshop_id)
        .first()
    )
    stages.lap("read")
    if participant is None:  # the row is gone with the person's data
        raise ProtocolError(
            protocol.FORBIDDEN, _("You were removed from this workshop."), op=op
        )
    if participant.op_seq is not None:
        transaction.set_rollback(True)  # give the number back
        return Applied(op=op, seq=participant.op_seq, duplicate=True)
    board.workshop = participant.workshop
    change = Change(
        action=message.type,
        seat=Seat(board=board, participant=participant),
        user=user,
        fields=message.fields,
        op=op,
    )
    change.require(message.type)
    kind, payload, private_to = HANDLERS[message.type](change)
    stages.lap("handler")
    event = board_event_append(
        board=board,
        kind=kind,
        payload=payload,
        participant=participant,
        op=op,
        private_to=private_to,
    )
    stages.lap("append")
    return Applied(op=op, seq=event.seq)


def board_card_add(
    *, board: Board, participant: Participant, user, fields: dict[str, Any]
) -> int:
    """Add a card as `participant` to a board the caller locked: `card.add`'s rule,
    checks and event, without an `op` (a page, not a socket, asks).

    `fields` are `card.add`'s, plus `from_dream` (the dream placed as this card).
    Raises ProtocolError having written nothing of this card. The card's id.
    """
    change = Change(
        action="card.add",
        seat=Seat(board=board, participant=participant),
        user=user,
        fields=fields,
        op="",
    )
    change.require("card.add")
    kind, payload, private_to = card_add(change)
    board_event_append(
        board=board,
        kind=kind,
        payload=payload,
        participant=participant,
        private_to=private_to,
    )
    return payload["card"]["id"]
