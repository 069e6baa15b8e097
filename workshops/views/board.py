"""Board pages: the live board, and its forms without JavaScript (columns, cards,
the facilitator console), which go through the same services as the socket."""

import json
import uuid
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import SERVICE_ERRORS, Invalid, error_text
from workshops import protocol, selectors, services
from workshops.forms import BoardTemplateForm, CardForm, ColumnForm, ConsoleForm
from workshops.models import Color, Column, Phase, Workshop
from workshops.protocol import ProtocolError
from workshops.views.common import board_of, facilitated_workshop


@login_required
@require_http_methods(["GET", "POST"])
def board_columns(request, pk: int, board_id: int):
    workshop = facilitated_workshop(request, pk)
    board = board_of(workshop, board_id)
    add_form = ColumnForm(prefix="add")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                add_form = ColumnForm(request.POST, prefix="add")
                if add_form.is_valid():
                    services.column_add(
                        user=request.user,
                        board=board,
                        title=add_form.cleaned_data["title"],
                    )
                    return redirect(request.path)
            else:
                column = get_object_or_404(
                    Column, pk=request.POST.get("column"), board=board
                )
                if action == "rename":
                    form = ColumnForm(request.POST)
                    if form.is_valid():
                        services.column_rename(
                            user=request.user,
                            column=column,
                            title=form.cleaned_data["title"],
                        )
                elif action in ("left", "right"):
                    services.column_move(
                        user=request.user,
                        column=column,
                        offset=-1 if action == "left" else 1,
                    )
                return redirect(request.path)
        except SERVICE_ERRORS as error:
            messages.error(request, error_text(error))
    return render(
        request,
        "workshops/board_columns.html",
        {
            "workshop": workshop,
            "board": board,
            "columns": board.columns.all(),
            "add_form": add_form,
            "template_form": BoardTemplateForm(
                prefix="template", initial={"name": board.title}
            ),
        },
    )


# --- The board --------------------------------------------------------------------


def _board_access(request, pk: int, board_id: int):
    workshop = get_object_or_404(Workshop.objects.select_related("city"), pk=pk)
    board = board_of(workshop, board_id)
    board.workshop = workshop
    access = services.board_access(
        board=board, user=request.user, session=request.session
    )
    return workshop, board, access


def board(request, pk: int, board_id: int):
    """The live board; `?present=1` is its presenter view for the room's screen:
    big cards, no controls, and no card hidden in silent writing shows its text,
    even to its author (the socket it opens is a presenter's too)."""
    workshop, board, access = _board_access(request, pk, board_id)
    if access is None:
        return redirect("workshops:join_code", code=workshop.join_code)
    present = request.GET.get("present") == "1"
    if present:
        access = replace(access, presenter=True)
    columns = selectors.board_columns_with_cards(
        board=board, participant_id=access.viewer_id
    )
    for column in columns:
        for card in column["cards"]:
            card.my_dots = "" if present else "●" * card.my_votes
        column["items"] = cluster_items(column["cards"])
    viewer = selectors.board_viewer(
        board=board, participant_id=access.participant_id, user=request.user
    )
    return render(
        request,
        "workshops/board_detail.html",
        {
            "workshop": workshop,
            "board": board,
            "access": access,
            "present": present,
            "columns": columns,
            "votes_left": viewer["votes_left"],
            # The forms offer what the server would accept now (a locked board
            # takes no card from a participant): `you.can` of the snapshot.
            "can_add_card": viewer["can"]["card.add"],
            "card_form": CardForm(columns=[c["column"] for c in columns]),
            "console_form": ConsoleForm(),
            "phases": Phase.choices,
            "colors": Color.choices,
            "languages": settings.LANGUAGES,
            "strings": _board_strings(),
            "limits": BOARD_LIMITS,
            "participants": selectors.participant_list(workshop=workshop)
            if access.facilitator
            else [],
        },
    )


@dataclass
class ClusterItem:
    """A cluster as the board shows it in a column: its cards and their votes."""

    name: str
    cards: list = field(default_factory=list)

    @property
    def votes(self) -> int:
        return sum(card.votes for card in self.cards)


def cluster_items(cards: list) -> list:
    """A column's cards in board order, each cluster gathered where its first
    card stands (static/js/workshops/board/clusters.js does the same live)."""
    items: list = []
    clusters: dict[str, ClusterItem] = {}
    for card in cards:
        if not card.group:
            items.append(card)
            continue
        if card.group not in clusters:
            clusters[card.group] = ClusterItem(card.group)
            items.append(clusters[card.group])
        clusters[card.group].cards.append(card)
    return items


# The protocol's limits, for the board page's fields and its script.
BOARD_LIMITS = {
    "card_text": protocol.CARD_TEXT_MAX,
    "group": protocol.GROUP_NAME_MAX,
    "vote_budget": protocol.VOTE_BUDGET_MAX,
    "timer_minutes": protocol.TIMER_MAX_SECONDS // 60,
}


def _board_strings() -> dict:
    """Texts the board's script shows, in the page's language.

    The card's own texts (button labels and the like) are in its template,
    `workshops/includes/board_card.html`, which the script clones.
    """
    return {
        "phases": dict(Phase.choices),
        "connecting": _("Connecting…"),
        # A context of its own: Wagtail's admin has its own "Live" (a page state).
        "connected": pgettext("board connection", "Live"),
        "reconnecting": _("Connection lost; reconnecting…"),
        "removed": _("A facilitator removed you from this workshop."),
        "hidden": _("Hidden until the reveal"),
        # Counted texts by plural category, for `text.js` `plural` (the page's
        # languages have two: `one` and `other`).
        "votes": {
            "one": ngettext("%(n)s vote", "%(n)s votes", 1),
            "other": ngettext("%(n)s vote", "%(n)s votes", 2),
        },
        # This viewer's own dots on a card (beside its total).
        "fromYou": {
            "one": ngettext("%(n)s from you", "%(n)s from you", 1),
            "other": ngettext("%(n)s from you", "%(n)s from you", 2),
        },
        "closed": _("Closed"),
        "locked": _("Locked"),
        "open": _("Open"),
        "timeUp": _("Time is up."),
        "added": _("%(name)s added a card to %(column)s."),
        "edited": _("A card was edited."),
        "moved": _("%(card)s was moved to %(column)s, place %(place)s."),
        "deleted": _("A card was deleted."),
        "grouped": _("%(card)s was put in the cluster %(group)s."),
        "ungrouped": _("%(card)s was taken out of its cluster."),
        # How a sentence names a card: its (shortened) text, or this if hidden.
        "quoted": pgettext("a card named by its text", "“%(text)s”"),
        "aCard": _("A hidden card"),
        "aCardObject": pgettext("object of “You moved … to …”", "a hidden card"),
        "youMoved": _("You moved %(card)s to %(column)s."),
        "phaseSet": _("Phase: %(phase)s."),
        "timerStarted": _("Timer started: %(minutes)s minutes."),
        "timerStopped": _("Timer stopped."),
        "boardLocked": _("The board is locked."),
        "boardUnlocked": _("The board is open again."),
        "revealed": _("The cards were revealed."),
        "participantRemoved": _("A participant was removed."),
        "budgetSet": _("The number of votes changed."),
        "noVotes": _("You have no votes left."),
        "columnAdded": _("A column was added: %(column)s."),
        "columnRenamed": _("The column %(old)s is now called %(column)s."),
        "columnsReordered": _("The columns were reordered."),
        "fromDream": _("From dream #%(n)s"),
        "becameDream": _("Became dream #%(n)s"),
        # Cards typed in from paper (`channel` in_person) have no author.
        "onPaper": _("On paper: %(meeting)s"),
        "addedFromPaper": _("A card from paper was added to %(column)s."),
        # Voting as a phase (`board.voting_open`), said when it changes.
        "votingOpen": _("Voting is open."),
        "votingClosed": _("Voting is closed."),
    }


def _apply(request, access, kind: str, fields: dict) -> None:
    """A form's change, parsed and validated exactly as the socket's frames are."""
    frame = json.dumps({"type": kind, "op": f"form-{uuid.uuid4()}", **fields})
    try:
        message = protocol.parse(frame)
        services.board_change(access=access, user=request.user, message=message)
    except ProtocolError as error:
        messages.error(request, error.message)


@require_POST
def card_add(request, pk: int, board_id: int):
    """Adding a card without JavaScript: the same service as the socket."""
    workshop, board, access = _board_access(request, pk, board_id)
    if access is None:
        raise PermissionDenied
    form = CardForm(request.POST, columns=board.columns.all())
    if form.is_valid():
        fields = dict(form.cleaned_data)
        if not fields["language"]:  # not chosen: the service takes the page's
            del fields["language"]
        _apply(request, access, "card.add", fields)
    else:
        messages.error(request, _("Check the card: it needs text and a column."))
    return redirect("workshops:board", pk=pk, board_id=board_id)


@require_POST
def board_console(request, pk: int, board_id: int):
    """The facilitator console without JavaScript."""
    workshop, board, access = _board_access(request, pk, board_id)
    if access is None or not access.facilitator:
        raise PermissionDenied
    form = ConsoleForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid(_("Choose an action."))
        fields = form.change_fields()
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        _apply(request, access, form.change_type(), fields)
    return redirect("workshops:board", pk=pk, board_id=board_id)
