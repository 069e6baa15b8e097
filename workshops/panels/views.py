"""Panel pages: the public list and page, applying, and the facilitators' page
(draw, meetings, attendance, the pool file, the term's end). Thin adapters
around `services` and `selectors`; service errors reach the user through
`core.errors`."""

from __future__ import annotations

import json
from itertools import groupby

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
from workshops.panels import draw, selectors, services
from workshops.panels.forms import (
    ApplyForm,
    AttendanceForm,
    CriterionForm,
    MeetingForm,
    PanelForm,
)
from workshops.panels.models import Criterion, Panel, PanelMeeting


def _panel(pk: int) -> Panel:
    panel = selectors.panel_get(pk)
    if panel is None:
        raise Http404(_("No such panel."))
    return panel


def _run_panel(request, pk: int) -> Panel:
    panel = _panel(pk)
    if not rules.has_perm("workshops.run_panel", request.user, panel):
        raise PermissionDenied
    return panel


def _flash_errors(request, error) -> None:
    messages.error(request, error_text(error))


def panel_list(request):
    panels = list(selectors.panel_list())
    by_city = [
        (city, list(items)) for city, items in groupby(panels, key=lambda p: p.city)
    ]
    return render(
        request,
        "workshops/panels/panel_list.html",
        {
            "by_city": by_city,
            "can_create": cities_with_role(request.user, Role.FACILITATOR).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_create(request):
    cities = cities_with_role(request.user, Role.FACILITATOR)
    if not cities.exists():
        raise PermissionDenied
    form = PanelForm(
        request.POST or None,
        cities=cities,
        initial={"languages": ["fi"], "criteria": Criterion.values},
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.panel_create(user=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The panel was created."))
            return redirect("workshops:panel_manage", pk=panel.pk)
    return render(request, "workshops/panels/panel_form.html", {"form": form})


def panel_detail(request, pk: int):
    panel = _panel(pk)
    meetings = list(selectors.meeting_list(panel=panel))
    application = selectors.application_get(panel=panel, user=request.user)
    labels = selectors.criterion_labels(panel=panel)
    # The standard criteria the panel names, then the city's own.
    keys = [*panel.criteria, *(k for k in labels if k.startswith("custom-"))]
    criteria = [labels[key] for key in keys if key in labels]
    return render(
        request,
        "workshops/panels/panel_detail.html",
        {
            "panel": panel,
            "meetings": meetings,
            "application": application,
            "criteria": criteria,
            "algorithm": f"{draw.ALGORITHM}/{draw.VERSION}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_apply(request, pk: int):
    panel = _panel(pk)
    application = selectors.application_get(panel=panel, user=request.user)
    initial = {}
    if application is not None:
        initial = {**application.answers, "availability": application.availability}
    form = ApplyForm(request.POST or None, panel=panel, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_apply(
                user=request.user,
                panel=panel,
                answers=form.answers(),
                availability=form.cleaned_data["availability"],
                consent=form.cleaned_data["consent"],
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Your application was saved."))
            return redirect("workshops:panel_apply", pk=panel.pk)
    return render(
        request,
        "workshops/panels/panel_apply.html",
        {
            "panel": panel,
            "application": application,
            "form": form,
            "can_apply": rules.has_perm(
                "workshops.apply_to_panel", request.user, panel
            ),
        },
    )


@login_required
@require_POST
def panel_withdraw(request, pk: int):
    panel = _panel(pk)
    try:
        services.application_withdraw(user=request.user, panel=panel)
    except SERVICE_ERRORS as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("workshops:panel_apply", pk=panel.pk)


@login_required
@require_POST
def panel_respond(request, pk: int):
    panel = _panel(pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.invitation_respond(user=request.user, panel=panel, accept=accept)
    except SERVICE_ERRORS as error:
        _flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Welcome to the panel!") if accept else _("You declined the place."),
        )
    return redirect("workshops:panel_apply", pk=panel.pk)


# --- Facilitators ------------------------------------------------------------------


@login_required
def panel_manage(request, pk: int):
    panel = _run_panel(request, pk)
    targets = selectors.panel_targets(panel=panel)
    return render(
        request,
        "workshops/panels/panel_manage.html",
        {
            "panel": panel,
            "comparison": selectors.panel_comparison(panel=panel),
            "without_figures": [
                label
                for key, label in selectors.criterion_labels(panel=panel).items()
                if key in panel.criteria and key not in targets
            ],
            "members": selectors.member_list(panel=panel),
            "reserve": selectors.reserve_list(panel=panel),
            "applicants": selectors.eligible_applications(panel=panel).count(),
            "meetings": selectors.meeting_list(panel=panel),
            "meeting_form": MeetingForm(),
            "criterion_form": CriterionForm(),
        },
    )


def _panel_action(request, pk: int, action, success: str, **kwargs):
    panel = _run_panel(request, pk)
    try:
        action(user=request.user, panel=panel, **kwargs)
    except SERVICE_ERRORS as error:
        _flash_errors(request, error)
    else:
        messages.success(request, success)
    return redirect("workshops:panel_manage", pk=panel.pk)


@login_required
@require_POST
def panel_draw(request, pk: int):
    return _panel_action(request, pk, services.panel_draw, _("The panel was drawn."))


@login_required
@require_POST
def panel_close_applications(request, pk: int):
    return _panel_action(
        request,
        pk,
        services.panel_close_applications,
        _("Applications were closed."),
    )


@login_required
@require_POST
def panel_end(request, pk: int):
    return _panel_action(
        request, pk, services.panel_end, _("The panel's term has ended.")
    )


@login_required
@require_POST
def panel_criterion_add(request, pk: int):
    panel = _run_panel(request, pk)
    form = CriterionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the question and its options."))
        return redirect("workshops:panel_manage", pk=panel.pk)
    try:
        options = services.parse_options(form.cleaned_data["options"])
    except SERVICE_ERRORS as error:
        _flash_errors(request, error)
        return redirect("workshops:panel_manage", pk=panel.pk)
    return _panel_action(
        request,
        pk,
        services.panel_criterion_add,
        _("The criterion was added."),
        question=form.cleaned_data["question"],
        options=options,
    )


@login_required
@require_POST
def panel_meeting_add(request, pk: int):
    panel = _run_panel(request, pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.panel_meeting_add(
                user=request.user, panel=panel, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The meeting was added."))
            return redirect("workshops:panel_manage", pk=panel.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("workshops:panel_manage", pk=panel.pk)


@login_required
def panel_pool(request, pk: int):
    """The pseudonymised pool, for an auditor (no names, no accounts)."""
    panel = _run_panel(request, pk)
    if not panel.is_drawn:
        raise Http404(_("The panel has not been drawn yet."))
    document = {
        "panel": panel.pk,
        "algorithm": panel.algorithm,
        "size": panel.size,
        "reserve_size": panel.size,
        "targets": panel.targets,
        "pool_hash": panel.pool_hash,
        "pool": panel.pool,
    }
    response = HttpResponse(
        json.dumps(document, indent=1, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="panel-{panel.pk}-pool.json"'
    )
    return response


def _meeting(panel: Panel, meeting_id: int) -> PanelMeeting:
    meeting = get_object_or_404(
        PanelMeeting.objects.select_related("workshop", "panel__city"),
        pk=meeting_id,
        panel=panel,
    )
    return meeting


@login_required
@require_POST
def panel_meeting_join(request, pk: int, meeting_id: int):
    meeting = _meeting(_panel(pk), meeting_id)
    try:
        services.panel_meeting_join(user=request.user, meeting=meeting)
    except SERVICE_ERRORS as error:
        _flash_errors(request, error)
        return redirect("workshops:panel_detail", pk=pk)
    return redirect("workshops:detail", pk=meeting.workshop_id)


@login_required
@require_http_methods(["GET", "POST"])
def panel_attendance(request, pk: int, meeting_id: int):
    panel = _run_panel(request, pk)
    meeting = _meeting(panel, meeting_id)
    members = list(selectors.member_list(panel=panel))
    recorded = meeting.attendance.filter(present=True).values_list(
        "application_id", flat=True
    )
    joined = set(
        meeting.workshop.participants.filter(user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    initial = [str(pk) for pk in recorded] or [
        str(m.pk) for m in members if m.user_id in joined
    ]
    form = AttendanceForm(
        request.POST or None, members=members, initial={"present": initial}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                user=request.user,
                meeting=meeting,
                present=[int(v) for v in form.cleaned_data["present"]],
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Attendance was recorded."))
            return redirect("workshops:panel_manage", pk=panel.pk)
    return render(
        request,
        "workshops/panels/panel_attendance.html",
        {"panel": panel, "meeting": meeting, "form": form},
    )
