"""Every write to workshops and boards, one function per use case.

Split by concern; import from here (`from workshops import services`), which
re-exports the public names:

- `workshop`: workshops and their columns;
- `participants`: joining (and its approval), removal and readmission, who a
  socket or request is on a board;
- `wire`: cards, columns and the board as the protocol sends them;
- `events`: the board's numbered event log (`board_event_append`);
- `presence`: who is on a board, on a lease;
- `changes`: board changes from the protocol (`board_change`, `board_card_add`);
- `dreams`: service dreams placed as cards and cards turned into dreams;
- `board_templates`: boards' set-ups saved and reused;
- `paper`: cards from paper in physical meetings (`cards_enter_paper`);
- `photos`: flipchart photos attached to a board, private until published;
- `suggestions`: the board's "suggest groups" (proposed, then applied through
  `card.group`).

Reads (snapshots, resync, presence lists, votes) are in `workshops.selectors`;
who may do what in `workshops.rules`.
"""

from workshops.services.board_templates import (
    board_from_template,
    board_template_delete,
    board_template_save,
)
from workshops.services.changes import Applied, board_card_add, board_change
from workshops.services.dreams import (
    DREAM_CARD_COLOR,
    DREAMS_PER_PLACEMENT_MAX,
    card_dream_create,
    cards_place_dreams,
    dream_card_text,
    dream_title_from_card,
)
from workshops.services.events import (
    BOARDS,
    RESYNC_MAX_EVENTS,
    board_event_append,
    board_group,
    board_op_seq,
    board_seq_take,
)
from workshops.services.paper import (
    PAPER_CARDS_MAX,
    PAPER_TEXT_MAX,
    cards_enter_paper,
    paper_lines,
)
from workshops.services.participants import (
    SESSION_KEY,
    BoardAccess,
    board_access,
    board_connect,
    participant_admit,
    participant_for_facilitator,
    participant_join,
    participant_readmit,
    participant_remove,
    require_facilitator,
    session_participant_id,
    session_participant_remember,
    workshop_is_facilitator,
)
from workshops.services.photos import (
    BOARD_PHOTOS_MAX,
    board_photo_add,
    board_photo_publish,
    board_photo_remove,
    board_photo_visible,
)
from workshops.services.presence import (
    PRESENCE_DEBOUNCE,
    PRESENCE_HEARTBEAT,
    PRESENCE_LEASE,
    presence_broadcast,
    presence_enter,
    presence_leave,
    presence_prune,
    presence_renew,
)
from workshops.services.suggestions import (
    column_groups_apply,
    column_groups_suggest,
)
from workshops.services.wire import (
    board_state,
    card_data,
    column_data,
    redact,
    withhold,
)
from workshops.services.workshop import (
    column_add,
    column_move,
    column_rename,
    workshop_close,
    workshop_create,
    workshop_publish,
    workshop_update,
)

# Reads that used to live here, now in `workshops.selectors` (which imports this
# package, hence looked up when asked for).
_MOVED_TO_SELECTORS = frozenset(
    {"board_events_since", "board_snapshot", "presence_list"}
)


def __getattr__(name: str):
    if name in _MOVED_TO_SELECTORS:
        from workshops import selectors

        return getattr(selectors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BOARDS",
    "BOARD_PHOTOS_MAX",
    "PAPER_CARDS_MAX",
    "PAPER_TEXT_MAX",
    "board_photo_add",
    "board_photo_publish",
    "board_photo_remove",
    "board_photo_visible",
    "cards_enter_paper",
    "paper_lines",
    "DREAMS_PER_PLACEMENT_MAX",
    "DREAM_CARD_COLOR",
    "PRESENCE_DEBOUNCE",
    "PRESENCE_HEARTBEAT",
    "PRESENCE_LEASE",
    "RESYNC_MAX_EVENTS",
    "SESSION_KEY",
    "Applied",
    "BoardAccess",
    "board_access",
    "board_card_add",
    "column_groups_apply",
    "column_groups_suggest",
    "board_change",
    "board_connect",
    "board_event_append",
    "board_from_template",
    "board_template_delete",
    "board_template_save",
    "board_events_since",
    "board_group",
    "board_op_seq",
    "board_seq_take",
    "board_snapshot",
    "board_state",
    "card_data",
    "card_dream_create",
    "cards_place_dreams",
    "column_add",
    "column_data",
    "column_move",
    "column_rename",
    "dream_card_text",
    "dream_title_from_card",
    "participant_admit",
    "participant_for_facilitator",
    "participant_join",
    "participant_readmit",
    "participant_remove",
    "presence_broadcast",
    "presence_enter",
    "presence_leave",
    "presence_list",
    "presence_prune",
    "presence_renew",
    "redact",
    "require_facilitator",
    "session_participant_id",
    "session_participant_remember",
    "withhold",
    "workshop_close",
    "workshop_create",
    "workshop_is_facilitator",
    "workshop_publish",
    "workshop_update",
]
