"""Workshop pages: joining, the facilitators' pages (create, edit, detail, join
sheet, participants, close, publish) and the results with their downloads."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.roles import cities_with_role
from core.errors import SERVICE_ERRORS, error_text, form_add_service_error
from core.models import City
from core.ratelimit import client_ip, limit_exceeded
from workshops import exports, selectors, services
from workshops.forms import CloseForm, JoinForm, PublicFilterForm, WorkshopForm
from workshops.models import Participant, Workshop
from workshops.rules import Visit
from workshops.views.common import (
    JOIN_LIMIT,
    JOIN_WINDOW,
    facilitated_workshop,
    join_qr,
)

# --- Joining --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join(request, code: str | None = None):
    workshop = None
    pid = None
    if code is not None:
        workshop = Workshop.objects.filter(join_code=code.upper()).first()
        if workshop is None:
            raise Http404(_("No workshop has this code."))
        pid = services.session_participant_id(request.session, workshop.pk)
        earlier = workshop.participants.filter(pk=pid).first() if pid else None
        if earlier is not None:
            if earlier.removed_at is not None:
                return _join_status(request, workshop, "removed", status=403)
            if earlier.pending:
                return _join_status(request, workshop, "pending")
            return _after_join(workshop)
    initial = {}
    if request.user.is_authenticated:
        initial["display_name"] = request.user.display_name
    form = JoinForm(request.POST or None, with_code=code is None, initial=initial)
    if request.method == "POST" and form.is_valid():
        typed = code or form.cleaned_data["code"]
        if limit_exceeded(
            f"workshops:join:{typed.upper()}:{client_ip(request)}",
            limit=JOIN_LIMIT,
            window_seconds=JOIN_WINDOW,
        ):
            form.add_error(None, _("Too many attempts. Wait a moment and try again."))
        else:
            if workshop is None:
                workshop = Workshop.objects.filter(join_code=typed).first()
                if workshop is not None:
                    pid = services.session_participant_id(request.session, workshop.pk)
            if workshop is None:
                form.add_error("code", _("No workshop has this code."))
            else:
                try:
                    participant = services.participant_join(
                        workshop=workshop,
                        display_name=form.cleaned_data["display_name"],
                        user=request.user,
                        session_participant=pid,
                    )
                except SERVICE_ERRORS as error:
                    form_add_service_error(form, error)
                else:
                    services.session_participant_remember(request.session, participant)
                    if participant.pending:
                        return redirect("workshops:join_code", code=workshop.join_code)
                    return _after_join(workshop)
    return render(request, "workshops/join.html", {"form": form, "workshop": workshop})


# A waiting joiner's page reloads itself (no JavaScript needed) this often.
JOIN_PENDING_REFRESH = 10


def _join_status(request, workshop: Workshop, state: str, status: int = 200):
    """The page of a joiner who waits for approval, or who was removed."""
    return render(
        request,
        "workshops/join_status.html",
        {"workshop": workshop, "state": state, "refresh": JOIN_PENDING_REFRESH},
        status=status,
    )


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
    form = WorkshopForm(
        request.POST or None,
        cities=cities,
        templates=list(selectors.board_template_list(user=request.user)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(user=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The workshop was created."))
            return redirect("workshops:detail", pk=workshop.pk)
    return render(
        request, "workshops/workshop_form.html", {"form": form, "workshop": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk: int):
    workshop = facilitated_workshop(request, pk)
    initial = {
        name: getattr(workshop, name)
        for name in ("title", "description", "starts_at", "ends_at", "language")
    }
    initial["capacity"] = workshop.capacity
    initial["joining"] = workshop.joining
    form = WorkshopForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_update(
                user=request.user, workshop=workshop, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
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
            "pending": selectors.participant_pending_list(workshop=workshop),
            "removed": selectors.participant_removed_list(workshop=workshop),
            "close_form": CloseForm(initial={"summary": workshop.summary}),
        },
    )


@login_required
def join_sheet(request, pk: int):
    workshop = facilitated_workshop(request, pk)
    url, qr = join_qr(request, workshop)
    return render(
        request,
        "workshops/workshop_join_sheet.html",
        {"workshop": workshop, "join_url": url, "qr_svg": qr},
    )


@login_required
@require_POST
def participant_remove(request, pk: int, participant_id: int):
    workshop = facilitated_workshop(request, pk)
    participant = get_object_or_404(Participant, pk=participant_id, workshop=workshop)
    services.participant_remove(user=request.user, participant=participant)
    messages.success(
        request, _("%(name)s was removed.") % {"name": participant.display_name}
    )
    return redirect("workshops:detail", pk=workshop.pk)


@login_required
@require_POST
def participant_readmit(request, pk: int, participant_id: int):
    workshop = facilitated_workshop(request, pk)
    participant = get_object_or_404(Participant, pk=participant_id, workshop=workshop)
    try:
        services.participant_readmit(user=request.user, participant=participant)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(name)s may take part again.") % {"name": participant.display_name},
        )
    return redirect("workshops:detail", pk=workshop.pk)


@login_required
@require_POST
def participant_admit(request, pk: int, participant_id: int):
    """Approve (`admit=1`) or decline (`admit=0`) someone waiting to join."""
    workshop = facilitated_workshop(request, pk)
    participant = get_object_or_404(Participant, pk=participant_id, workshop=workshop)
    admit = request.POST.get("admit") == "1"
    try:
        services.participant_admit(
            user=request.user, participant=participant, admit=admit
        )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        done = _("%(name)s was admitted.") if admit else _("%(name)s was declined.")
        messages.success(request, done % {"name": participant.display_name})
    return redirect("workshops:detail", pk=workshop.pk)


@login_required
@require_POST
def workshop_close(request, pk: int):
    workshop = facilitated_workshop(request, pk)
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
    workshop = facilitated_workshop(request, pk)
    try:
        services.workshop_publish(
            user=request.user,
            workshop=workshop,
            published=request.POST.get("published") == "1",
        )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect("workshops:results", pk=workshop.pk)


# --- Results ------------------------------------------------------------------------


def public_results(request):
    """Every workshop whose results are published, of one city or all (GET)."""
    form = PublicFilterForm(request.GET or None, cities=list(City.objects.all()))
    # An unknown city shows all of them, as no filter would.
    city = form.cleaned_data["city"] if form.is_valid() else None
    page = selectors.published_workshop_list(
        city=city, cursor=request.GET.get("cursor", "")[:200]
    )
    next_query = None
    if page.next_cursor:
        params = request.GET.copy()
        params["cursor"] = page.next_cursor
        next_query = params.urlencode()
    return render(
        request,
        "workshops/workshop_public_list.html",
        {
            "form": form,
            "city": city,
            "workshops": page.workshops,
            "next_query": next_query,
            "is_first_page": not request.GET.get("cursor"),
        },
    )


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
            # With the flipchart photos a facilitator published.
            "results": selectors.workshop_results_with_photos(workshop=workshop),
        },
    )


def results_download(request, pk: int, fmt: str):
    workshop = get_object_or_404(Workshop.objects.select_related("city"), pk=pk)
    if fmt not in ("csv", "json", "md", "svg") or not _results_visible(
        request, workshop
    ):
        raise Http404
    filename = f"workshop-{workshop.pk}-results.{fmt}"
    if fmt == "md":
        body = exports.results_markdown(
            workshop, selectors.workshop_results(workshop=workshop)
        )
        content_type = "text/markdown; charset=utf-8"
    elif fmt == "svg":
        body = exports.results_svg(
            workshop, selectors.workshop_results(workshop=workshop)
        )
        content_type = "image/svg+xml; charset=utf-8"
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
