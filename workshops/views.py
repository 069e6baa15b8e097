"""Workshop pages: thin adapters around `services` and `selectors`."""

import json
import uuid

import rules
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.roles import cities_with_role
from core.ratelimit import client_ip, limit_exceeded
from workshops import exports, protocol, selectors, services
from workshops.forms import (
    CardDreamForm,
    CardForm,
    CloseForm,
    ColumnForm,
    ConsoleForm,
    JoinForm,
    PlaceDreamsForm,
    WorkshopForm,
)
from workshops.models import Board, Card, Color, Column, Participant, Phase, Workshop
from workshops.protocol import ProtocolError
from workshops.rules import Visit

JOIN_LIMIT = 30  # join attempts per address in ten minutes
DREAM_WRITES_PER_HOUR = 60  # placements and card-to-dream turns per facilitator


def _facilitated(request, pk: int) -> Workshop:
    workshop = get_object_or_404(Workshop.objects.select_related("city"), pk=pk)
    if not services.workshop_is_facilitator(request.user, workshop):
        raise PermissionDenied
    return workshop


def _board_of(workshop: Workshop, board_id: int) -> Board:
    return get_object_or_404(Board, pk=board_id, workshop=workshop)


def _form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its field, or on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _dream_rate_limited(request) -> bool:
    return limit_exceeded(
        f"workshops:dreams:{request.user.pk}",
        limit=DREAM_WRITES_PER_HOUR,
        window_seconds=3600,
    )


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _errors_to_messages(request, error: ValidationError | PermissionError) -> None:
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(error))


# --- Joining --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join(request, code: str | None = None):
    workshop = None
    if code is not None:
        workshop = Workshop.objects.filter(join_code=code.upper()).first()
        if workshop is None:
            raise Http404(_("No workshop has this code."))
        pid = services.session_participant_id(request.session, workshop.pk)
        if pid and workshop.participants.filter(pk=pid, removed_at=None).exists():
            return _after_join(workshop)
    initial = {}
    if request.user.is_authenticated:
        initial["display_name"] = request.user.display_name
    form = JoinForm(request.POST or None, with_code=code is None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if limit_exceeded(
            f"workshops:join:{client_ip(request)}", limit=JOIN_LIMIT, window_seconds=600
        ):
            form.add_error(None, _("Too many attempts. Wait a moment and try again."))
        else:
            if workshop is None:
                workshop = Workshop.objects.filter(
                    join_code=form.cleaned_data["code"]
                ).first()
            if workshop is None:
                form.add_error("code", _("No workshop has this code."))
            else:
                try:
                    participant = services.participant_join(
                        workshop=workshop,
                        display_name=form.cleaned_data["display_name"],
                        user=request.user,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                except PermissionError as error:
                    form.add_error(None, str(error))
                else:
                    services.session_participant_remember(request.session, participant)
                    return _after_join(workshop)
    return render(request, "workshops/join.html", {"form": form, "workshop": workshop})


def _after_join(workshop: Workshop):
    boards = list(workshop.boards.order_by("position", "id")[:2])
    if len(boards) == 1:
        return redirect("workshops:board", pk=workshop.pk, board_id=boards[0].pk)
    return redirect("workshops:detail", pk=workshop.pk)


# --- Facilitators' pages ----------------------------------------------------------


@login_required
def workshop_list(request):
    cities = cities_with_role(request.user, Role.FACILITATOR)
    workshops = selectors.workshop_list_for_facilitator(user=request.user)
    if not cities.exists() and not workshops.exists():
        raise PermissionDenied
    return render(
        request,
        "workshops/workshop_list.html",
        {"workshops": workshops, "can_create": cities.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request):
    cities = cities_with_role(request.user, Role.FACILITATOR)
    if not cities.exists():
        raise PermissionDenied
    form = WorkshopForm(request.POST or None, cities=cities)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workshop was created."))
            return redirect("workshops:detail", pk=workshop.pk)
    return render(
        request, "workshops/workshop_form.html", {"form": form, "workshop": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk: int):
    workshop = _facilitated(request, pk)
    initial = {
        name: getattr(workshop, name)
        for name in ("title", "description", "starts_at", "ends_at", "language")
    }
    initial["capacity"] = workshop.capacity
    form = WorkshopForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_update(
                user=request.user, workshop=workshop, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workshop was saved."))
            return redirect("workshops:detail", pk=workshop.pk)
    return render(
        request, "workshops/workshop_form.html", {"form": form, "workshop": workshop}
    )


def workshop_detail(request, pk: int):
    workshop = get_object_or_404(Workshop.objects.select_related("city"), pk=pk)
    facilitator = services.workshop_is_facilitator(request.user, workshop)
    boards = list(selectors.board_list(workshop=workshop))
    if not facilitator:
        access = boards and services.board_access(
            board=boards[0], user=request.user, session=request.session
        )
        if not access:
            return redirect("workshops:join")
        return render(
            request,
            "workshops/workshop_boards.html",
            {"workshop": workshop, "boards": boards},
        )
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "boards": boards,
            "participants": selectors.participant_list(workshop=workshop),
            "close_form": CloseForm(initial={"summary": workshop.summary}),
        },
    )


@login_required
def join_sheet(request, pk: int):
    workshop = _facilitated(request, pk)
    url = request.build_absolute_uri(
        reverse("workshops:join_code", args=[workshop.join_code])
    )
    # segno writes the SVG itself from the URL; nothing user-typed goes into it.
    qr = segno.make(url, error="m").svg_inline(scale=8, title=url, omitsize=True)
    return render(
        request,
        "workshops/workshop_join_sheet.html",
        {"workshop": workshop, "join_url": url, "qr_svg": mark_safe(qr)},  # noqa: S308
    )


@login_required
@require_POST
def participant_remove(request, pk: int, participant_id: int):
    workshop = _facilitated(request, pk)
    participant = get_object_or_404(Participant, pk=participant_id, workshop=workshop)
    services.participant_remove(user=request.user, participant=participant)
    messages.success(
        request, _("%(name)s was removed.") % {"name": participant.display_name}
    )
    return redirect("workshops:detail", pk=workshop.pk)


@login_required
@require_POST
def workshop_close(request, pk: int):
    workshop = _facilitated(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        services.workshop_close(
            user=request.user, workshop=workshop, summary=form.cleaned_data["summary"]
        )
        messages.success(request, _("The workshop was closed."))
        return redirect("workshops:results", pk=workshop.pk)
    messages.error(request, _("Check the summary."))
    return redirect("workshops:detail", pk=workshop.pk)


@login_required
@require_POST
def workshop_publish(request, pk: int):
    workshop = _facilitated(request, pk)
    try:
        services.workshop_publish(
            user=request.user,
            workshop=workshop,
            published=request.POST.get("published") == "1",
        )
    except ValidationError as error:
        _errors_to_messages(request, error)
    return redirect("workshops:results", pk=workshop.pk)


@login_required
@require_http_methods(["GET", "POST"])
def board_columns(request, pk: int, board_id: int):
    workshop = _facilitated(request, pk)
    board = _board_of(workshop, board_id)
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
        except ValidationError as error:
            _errors_to_messages(request, error)
    return render(
        request,
        "workshops/board_columns.html",
        {
            "workshop": workshop,
            "board": board,
            "columns": board.columns.all(),
            "add_form": add_form,
        },
    )


# --- Service dreams and cards ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board_dreams(request, pk: int, board_id: int):
    """Choose service dreams and place them onto a column of the board as cards."""
    workshop = _facilitated(request, pk)
    board = _board_of(workshop, board_id)
    board.workshop = workshop
    columns = list(board.columns.all())
    form = PlaceDreamsForm(request.POST or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        if _dream_rate_limited(request):
            form.add_error(None, _("Too many changes in a short time. Try later."))
        else:
            column = next(c for c in columns if c.pk == form.cleaned_data["column"])
            # In the order they were listed (and ticked), not the queryset's.
            posted = request.POST.getlist("dreams")
            dreams = sorted(
                form.cleaned_data["dreams"], key=lambda d: posted.index(str(d.pk))
            )
            try:
                cards = services.cards_place_dreams(
                    board=board, column=column, dreams=dreams, by=request.user
                )
            except ValidationError as error:
                _form_errors(form, error)
            except PermissionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d dream was placed in “%(column)s”.",
                        "%(n)d dreams were placed in “%(column)s”.",
                        len(cards),
                    )
                    % {"n": len(cards), "column": column.title},
                )
                return redirect("workshops:board", pk=workshop.pk, board_id=board.pk)
    q = request.GET.get("q", "")[:200]
    page = selectors.dream_choices(
        board=board, q=q, cursor=request.GET.get("cursor", "")[:200]
    )
    chosen = set(request.POST.getlist("dreams"))
    return render(
        request,
        "workshops/board_dreams.html",
        {
            "workshop": workshop,
            "board": board,
            "columns": columns,
            "form": form,
            "page": page,
            "q": q,
            "chosen": chosen,
            "chosen_column": str(form["column"].value() or ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_dream(request, pk: int, card_id: int):
    """Turn a card into a service dream (facilitators; once per card)."""
    workshop = _facilitated(request, pk)
    card = get_object_or_404(
        Card.objects.select_related("board", "column"),
        pk=card_id,
        board__workshop=workshop,
    )
    card.board.workshop = workshop  # the rules read it through the card
    back = _safe_next(request, reverse("workshops:results", args=[workshop.pk]))
    initial = {
        "title": services.dream_title_from_card(card.text),
        "description": card.text,
        "city": str(workshop.city_id),
        "language": workshop.language,
    }
    form = CardDreamForm(request.POST or None, workshop=workshop, initial=initial)
    if request.method == "POST" and card.became_dream_id is not None:
        form.is_valid()  # bound either way; the service would refuse too
        already = _("This card already became dream #%(n)d.")
        form.add_error(None, already % {"n": card.became_dream_id})
    elif request.method == "POST" and form.is_valid():
        if _dream_rate_limited(request):
            form.add_error(None, _("Too many changes in a short time. Try later."))
        else:
            try:
                dream = services.card_dream_create(
                    workshop=workshop, card=card, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _form_errors(form, error)
            except PermissionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The card became dream #%(n)d: “%(title)s”.")
                    % {"n": dream.pk, "title": dream.title},
                )
                return redirect(back)
    return render(
        request,
        "workshops/card_dream.html",
        {"workshop": workshop, "card": card, "form": form, "back": back},
    )


# --- The board --------------------------------------------------------------------


def _board_access(request, pk: int, board_id: int):
    workshop = get_object_or_404(Workshop.objects.select_related("city"), pk=pk)
    board = _board_of(workshop, board_id)
    board.workshop = workshop
    access = services.board_access(
        board=board, user=request.user, session=request.session
    )
    return workshop, board, access


def board(request, pk: int, board_id: int):
    workshop, board, access = _board_access(request, pk, board_id)
    if access is None:
        return redirect("workshops:join_code", code=workshop.join_code)
    columns = selectors.board_columns_with_cards(
        board=board, participant_id=access.participant_id
    )
    return render(
        request,
        "workshops/board_detail.html",
        {
            "workshop": workshop,
            "board": board,
            "access": access,
            "columns": columns,
            "card_form": CardForm(columns=[c["column"] for c in columns]),
            "console_form": ConsoleForm(),
            "phases": Phase.choices,
            "colors": Color.choices,
            "strings": _board_strings(),
            "limits": BOARD_LIMITS,
            "participants": selectors.participant_list(workshop=workshop)
            if access.facilitator
            else [],
        },
    )


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
        "connected": _("Live"),
        "reconnecting": _("Connection lost; reconnecting…"),
        "removed": _("A facilitator removed you from this workshop."),
        "hidden": _("Hidden until the reveal"),
        "votes": {
            "one": ngettext("%(n)s vote", "%(n)s votes", 1),
            "other": ngettext("%(n)s vote", "%(n)s votes", 2),
        },
        "locked": _("Locked"),
        "open": _("Open"),
        "timeUp": _("Time is up."),
        "added": _("%(name)s added a card to %(column)s."),
        "edited": _("A card was edited."),
        "moved": _("A card was moved to %(column)s."),
        "deleted": _("A card was deleted."),
        "grouped": _("A card was put in a cluster."),
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
        _apply(request, access, "card.add", form.cleaned_data)
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
            raise ValidationError(_("Choose an action."))
        fields = form.change_fields()
    except ValidationError as error:
        _errors_to_messages(request, error)
    else:
        _apply(request, access, form.cleaned_data["action"], fields)
    return redirect("workshops:board", pk=pk, board_id=board_id)


# --- Results ------------------------------------------------------------------------


def _results_visible(request, workshop: Workshop) -> bool:
    visit = Visit(
        workshop=workshop,
        session_participant_id=services.session_participant_id(
            request.session, workshop.pk
        ),
    )
    return rules.has_perm("workshops.view_results", request.user, visit)


def results(request, pk: int):
    workshop = get_object_or_404(Workshop.objects.select_related("city"), pk=pk)
    if not _results_visible(request, workshop):
        raise Http404
    return render(
        request,
        "workshops/workshop_results.html",
        {
            "workshop": workshop,
            "results": selectors.workshop_results(workshop=workshop),
        },
    )


def results_download(request, pk: int, fmt: str):
    workshop = get_object_or_404(Workshop.objects.select_related("city"), pk=pk)
    if fmt not in ("csv", "json", "md") or not _results_visible(request, workshop):
        raise Http404
    filename = f"workshop-{workshop.pk}-results.{fmt}"
    if fmt == "md":
        body = exports.results_markdown(
            workshop, selectors.workshop_results(workshop=workshop)
        )
        content_type = "text/markdown; charset=utf-8"
    else:
        rows = selectors.result_rows(workshop=workshop)
        if fmt == "csv":
            body = exports.results_csv(rows)
            content_type = "text/csv; charset=utf-8"
        else:
            body = exports.results_json(workshop, rows)
            content_type = "application/json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
