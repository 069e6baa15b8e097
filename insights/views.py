"""The staff dashboards (`/insights/`): a city, or one of its planned services,
workshops or dream topics, over a chosen period; each table as a chart, a data
table and a CSV. Every view asks `insights.view_dashboard` about the city."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from core.errors import Invalid
from core.http import return_path
from core.models import City, Topic
from insights import dashboards, selectors
from insights.downloads import csv_response
from insights.reports import has_service_report, has_workshop_report
from insights.rules import insight_cities
from insights.scope import Scope
from insights.themes.models import Scope as ThemeScope
from insights.themes.selectors import themes_for
from participation.models import PlannedServicePage
from workshops.models import Workshop

THEMES = 8  # the largest, on a dashboard


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(return_path(request))
    return None


def _city(request: HttpRequest, slug: str) -> City:
    city = get_object_or_404(City, slug=slug)
    if not request.user.has_perm("insights.view_dashboard", city):
        raise PermissionDenied
    return city


def index(request: HttpRequest) -> HttpResponse:
    if refused := _signed_in(request):
        return refused
    cities = list(insight_cities(request.user))
    if not cities:
        raise PermissionDenied
    return render(request, "insights/index.html", {"cities": cities})


def _dashboard(
    request: HttpRequest,
    *,
    city: City,
    title: str,
    url: Callable[..., str],
    table: str,
    report_url: str = "",
    themes: tuple[str, str] = (ThemeScope.ALL, ""),
    **scope_object: int,
) -> HttpResponse:
    form = dashboards.DashboardFilterForm(request.GET or None)
    period, granularity = form.chosen()
    start, end = dashboards.period_dates(period)
    try:
        scope = Scope(
            city=city, start=start, end=end, granularity=granularity, **scope_object
        )
        found = dashboards.sections(scope)
    except Invalid as error:
        raise Http404 from error
    query = urlencode({"period": period, "granularity": granularity})
    if table:
        chosen = dashboards.find_table(found, table)
        if chosen is None:
            raise Http404
        return csv_response(chosen, name=f"{city.slug}-{period}")
    context = {
        "city": city,
        "title": title,
        "report_url": report_url,
        # Staff see every theme, hidden ones marked (3 queries).
        "themes": themes_for(city.pk, *themes, public_only=False, limit=THEMES),
        "form": form,
        "sections": dashboards.figures(found, lambda key: f"{url(key)}?{query}"),
    }
    if scope.is_city:
        context["objects"] = selectors.dashboard_objects(city)
    return render(request, "insights/dashboard.html", context)


def city_dashboard(request: HttpRequest, city: str, table: str = "") -> HttpResponse:
    if refused := _signed_in(request):
        return refused
    chosen = _city(request, city)
    return _dashboard(
        request,
        city=chosen,
        title=chosen.name,
        url=lambda key: reverse("insights:city_csv", args=[city, key]),
        table=table,
    )


def service_dashboard(
    request: HttpRequest, city: str, page_id: int, table: str = ""
) -> HttpResponse:
    if refused := _signed_in(request):
        return refused
    chosen = _city(request, city)
    page = get_object_or_404(PlannedServicePage, pk=page_id, city=chosen)
    return _dashboard(
        request,
        city=chosen,
        title=page.title,
        url=lambda key: reverse("insights:service_csv", args=[city, page_id, key]),
        table=table,
        report_url=(
            reverse("reports:service", args=[page.pk])
            if has_service_report(page)
            else ""
        ),
        themes=(ThemeScope.SERVICE, str(page.translation_key)),
        service=page.pk,
    )


def workshop_dashboard(
    request: HttpRequest, city: str, workshop_id: int, table: str = ""
) -> HttpResponse:
    if refused := _signed_in(request):
        return refused
    chosen = _city(request, city)
    workshop = get_object_or_404(Workshop, pk=workshop_id, city=chosen)
    return _dashboard(
        request,
        city=chosen,
        title=workshop.title,
        url=lambda key: reverse("insights:workshop_csv", args=[city, workshop_id, key]),
        table=table,
        report_url=(
            reverse("reports:workshop", args=[workshop.pk])
            if has_workshop_report(workshop)
            else ""
        ),
        themes=(ThemeScope.WORKSHOP, str(workshop.pk)),
        workshop=workshop.pk,
    )


def dreams_dashboard(
    request: HttpRequest, city: str, topic: str, table: str = ""
) -> HttpResponse:
    if refused := _signed_in(request):
        return refused
    chosen = _city(request, city)
    found = get_object_or_404(Topic, slug=topic)
    return _dashboard(
        request,
        city=chosen,
        title=found.name,
        url=lambda key: reverse("insights:dreams_csv", args=[city, topic, key]),
        table=table,
        report_url=reverse("reports:dreams", args=[city, topic]),
        themes=(ThemeScope.TOPIC, str(found.pk)),
        dream_topic=found.pk,
    )
