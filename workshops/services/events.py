"""The board's event log: every change numbered in the board's sequence.

The board is a `core.realtime` stream: `Board.seq` is taken with `UPDATE … SET
seq = seq + 1 … RETURNING` (the board's row lock until commit), the change and its
`BoardEvent` are written in the same transaction, and the event is broadcast on
commit. `board_event_append` is the one way to write an event.
"""

from __future__ import annotations

from typing import Any

from core.realtime.streams import Stream
from workshops.models import Board, BoardEvent, Participant
from workshops.services.wire import redact

BOARDS = Stream(
    model=Board,
    event_model=BoardEvent,
    stream_field="board",
    actor_field="participant",
    name="board",
    resync_max_events=1000,
    redact=redact,
)
# A client further behind than this gets a snapshot instead of the missed events.
RESYNC_MAX_EVENTS = BOARDS.resync_max_events

# What a board change re-reads with its number, in one statement.
BOARD_STATE = (
    "phase",
    "locked",
    "vote_budget",
    "voting_choice",
    "timer_ends_at",
    "workshop_id",
)


def board_group(board_id: int) -> str:
    return BOARDS.group(board_id)


def board_seq_take(board_id: int) -> Board | None:
    """Lock the board and take its next number: the board as now stored, or None.

    The Board has `seq` (the taken number) and `BOARD_STATE`; other fields are
    deferred. A refused change rolls the number back with its transaction.
    """
    row = BOARDS.take_seq(board_id, BOARD_STATE)
    if row is None:
        return None
    board = BOARDS.row(board_id, dict(zip(("seq", *BOARD_STATE), row, strict=True)))
    board._seq_taken = True  # this transaction holds this number
    return board


def board_event_append(
    *,
    board: Board,
    kind: str,
    payload: dict[str, Any],
    participant: Participant | None = None,
    op: str = "",
    private_to: Participant | int | None = None,
) -> BoardEvent:
    """Log one change of `board` under the next number; broadcast it on commit.

    `board` either came from `board_seq_take` in this transaction (its number is
    taken: used once) or was locked by the caller (a number is taken now).
    `private_to`: the participant who alone may see a hidden card's text.
    """
    if getattr(board, "_seq_taken", False):
        board._seq_taken = False  # the next event of this change takes its own
    else:
        board.seq = BOARDS.take_seq(board.pk)[0]
    closes = payload.get("participant") if kind == "participant.removed" else None
    return BOARDS.log(
        board.pk,
        board.seq,
        kind,
        payload,
        actor_id=participant.pk if participant is not None else None,
        op=op,
        private_to=private_to.pk if isinstance(private_to, Participant) else private_to,
        closes=closes,
    )


def board_op_seq(participant_id: int, op: str) -> int | None:
    """The seq of `op` when this participant's change was applied already."""
    return BOARDS.op_seq(participant_id, op)
