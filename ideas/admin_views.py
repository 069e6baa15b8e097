"""The triage view in the Wagtail admin: filter a city's dreams, change statuses in
bulk, merge duplicates. The page is `ideas.triage_dream` (in some city); every
action goes through ideas.services, which asks the named rules for each dream."""

import rules
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import SERVICE_ERRORS, error_text
from ideas import selectors, services
from ideas.forms import TriageStatusForm
from ideas.models import Dream, DreamStatus
from ideas.rules import triage_cities

MAX_BULK = 200


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values[:MAX_BULK]:
        try:
            ids.append(int(value))
        except ValueError:
            continue
    return ids


@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest) -> HttpResponse:
    if not rules.has_perm("ideas.triage_dream", request.user, None):
        return render(
            request,
            "ideas/admin/refused.html",
            {"message": _("Only the city's facilitators and editors can do that.")},
            status=403,
        )
    cities = triage_cities(request.user)
    allowed = list(cities)
    if request.method == "POST":
        return _act(request)
    city_slug = request.GET.get("city", "")
    city = next((c for c in allowed if c.slug == city_slug), None)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")[:200]
    dreams = selectors.triage_list(
        cities=cities,
        city=city,
        status=status,
        q=q,
        include_all_cities=city is None,
    )
    return render(
        request,
        "ideas/admin/triage.html",
        {
            "dreams": dreams,
            "cities": allowed,
            "city": city,
            "status": status,
            "q": q,
            "statuses": DreamStatus.choices,
            "status_form": TriageStatusForm(),
            "query": request.GET.urlencode(),
        },
    )


def _act(request: HttpRequest) -> HttpResponse:
    back = reverse("ideas_admin:triage")
    query = request.POST.get("query", "")
    if query:
        back = f"{back}?{query}"
    ids = _ids(request.POST.getlist("dreams"))
    dreams = list(Dream.objects.select_related("city").filter(pk__in=ids))
    if not dreams:
        messages.error(request, _("Choose at least one dream."))
        return redirect(back)
    action = request.POST.get("action")
    done, failed = 0, []
    if action == "status":
        form = TriageStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a status."))
            return redirect(back)
        for dream in dreams:
            try:
                services.dream_status_change(
                    dream=dream,
                    to_status=form.cleaned_data["to_status"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
                done += 1
            except SERVICE_ERRORS as error:
                failed.append(f"#{dream.pk}: {error_text(error)}")
    elif action == "merge":
        try:
            target_id = int(request.POST.get("target", ""))
        except ValueError:
            messages.error(request, _("Choose the dream to merge into."))
            return redirect(back)
        target = Dream.objects.select_related("city").filter(pk=target_id).first()
        if target is None:
            messages.error(request, _("Choose the dream to merge into."))
            return redirect(back)
        for dream in dreams:
            try:
                services.dream_merge(
                    source=dream,
                    target=target,
                    by=request.user,
                    reason=request.POST.get("reason", ""),
                )
                done += 1
            except SERVICE_ERRORS as error:
                failed.append(f"#{dream.pk}: {error_text(error)}")
    else:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    if done:
        messages.success(request, _("Dreams changed: %(n)d.") % {"n": done})
    for text in failed:
        messages.error(request, text)
    return redirect(back)
