"""Workshop pages: thin adapters around `services` and `selectors`, a package
split by concern and re-exported here, so `workshops/urls.py` reads `views.<name>`.

Service errors reach the user through `core.errors` (a form's errors or a flash
message); the safe `next` redirect is `core.http.safe_next_url`.
"""

from workshops.views.board import (
    BOARD_LIMITS,
    board,
    board_columns,
    board_console,
    card_add,
)
from workshops.views.board_templates import (
    board_template_delete,
    board_template_list,
    board_template_save,
)
from workshops.views.dreams import board_dreams, card_dream
from workshops.views.suggestions import board_suggest_groups
from workshops.views.workshop import (
    join,
    join_sheet,
    participant_admit,
    participant_readmit,
    participant_remove,
    public_results,
    results,
    results_download,
    workshop_close,
    workshop_create,
    workshop_detail,
    workshop_edit,
    workshop_list,
    workshop_publish,
)

__all__ = [
    "BOARD_LIMITS",
    "board",
    "board_columns",
    "board_console",
    "board_dreams",
    "board_suggest_groups",
    "board_template_delete",
    "board_template_list",
    "board_template_save",
    "card_add",
    "card_dream",
    "join",
    "join_sheet",
    "participant_admit",
    "participant_readmit",
    "participant_remove",
    "public_results",
    "results",
    "results_download",
    "workshop_close",
    "workshop_create",
    "workshop_detail",
    "workshop_edit",
    "workshop_list",
    "workshop_publish",
]
