"""The board's "suggest groups" page (facilitators; works without JavaScript):
choose a column, see the proposed groups, rename or leave some out, apply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.errors import SERVICE_ERRORS, error_text
from core.ratelimit import limit_exceeded
from core.text.themes import METHOD_EMBEDDINGS
from workshops import services
from workshops.models import GROUP_NAME_MAX
from workshops.services.suggestions import SUGGEST_CARDS_MAX, SUGGEST_GROUPS_MAX
from workshops.views.common import board_of, facilitated_workshop

# Each suggestion costs seconds of CPU (see services.suggestions).
SUGGESTIONS_PER_HOUR = 30


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _posted_groups(post) -> list[tuple[str, list[int]]]:
    """The apply form's groups: `name-N` and its `cards-N` (card ids)."""
    groups = []
    for number in range(1, SUGGEST_GROUPS_MAX + 1):
        name = post.get(f"name-{number}")
        if name is None:
            continue
        cards = [_int(value) for value in post.getlist(f"cards-{number}")]
        if None in cards or len(cards) > SUGGEST_CARDS_MAX:
            raise ValueError
        groups.append((name[:200], cards))
    return groups


@login_required
@require_http_methods(["GET", "POST"])
def board_suggest_groups(request, pk: int, board_id: int):
    workshop = facilitated_workshop(request, pk)
    board = board_of(workshop, board_id)
    board.workshop = workshop
    columns = list(board.columns.all())
    column = next(
        (c for c in columns if c.pk == _int(request.POST.get("column"))), None
    )
    groups_wanted = _int(request.POST.get("groups"))
    context = {
        "workshop": workshop,
        "board": board,
        "columns": columns,
        "column": column,
        "groups_wanted": groups_wanted,
        "group_choices": range(2, SUGGEST_GROUPS_MAX + 1),
        "cards_max": SUGGEST_CARDS_MAX,
        "group_name_max": GROUP_NAME_MAX,
    }
    action = request.POST.get("action")
    if request.method == "POST" and column is None:
        context["error"] = _("Choose a column.")
    elif action == "suggest":
        if limit_exceeded(
            f"workshops:suggest:{request.user.pk}",
            limit=SUGGESTIONS_PER_HOUR,
            window_seconds=3600,
        ):
            context["error"] = _("Too many suggestions in a short time. Try later.")
        else:
            try:
                method, proposal = services.column_groups_suggest(
                    workshop=workshop,
                    column=column,
                    by=request.user,
                    groups=groups_wanted,
                )
            except SERVICE_ERRORS as error:
                context["error"] = error_text(error)
            else:
                context["proposal"] = proposal
                context["crosses_languages"] = method == METHOD_EMBEDDINGS
    elif action == "apply":
        try:
            groups = _posted_groups(request.POST)
        except ValueError:
            context["error"] = _("The suggestion was not understood. Suggest again.")
        else:
            try:
                count = services.column_groups_apply(
                    board=board, column=column, groups=groups, by=request.user
                )
            except SERVICE_ERRORS as error:
                context["error"] = error_text(error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d card was clustered in “%(column)s”.",
                        "%(n)d cards were clustered in “%(column)s”.",
                        count,
                    )
                    % {"n": count, "column": column.title},
                )
                return redirect("workshops:board", pk=workshop.pk, board_id=board.pk)
    status = 400 if context.get("error") else 200
    return render(
        request, "workshops/board_suggest_groups.html", context, status=status
    )
