"""Staff pages for themes (the city's editors and moderators): a scope's themes
with their size, words and typical texts, each renamed, hidden or merged in place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.roles import cities_with_role
from core.errors import SERVICE_ERRORS, Invalid, error_text
from core.http import safe_next_url
from core.models import City
from insights.themes import selectors, services
from insights.themes.models import LABEL_MAX, Scope, Theme
from insights.themes.rules import MANAGE_THEMES

STAFF_LIMIT = 30


def _may(user, obj) -> bool:
    return user.has_perm(MANAGE_THEMES, obj)


@login_required
@require_GET
def theme_cities(request):
    """The cities whose themes this person looks after."""
    cities = list(cities_with_role(request.user, Role.EDITOR, Role.MODERATOR))
    if not cities:
        raise PermissionDenied
    if len(cities) == 1:
        return redirect("insights:themes_city", slug=cities[0].slug)
    return render(request, "insights/themes/cities.html", {"cities": cities})


@login_required
@require_GET
def theme_list(request, slug: str):
    city = get_object_or_404(City, slug=slug)
    if not _may(request.user, city):
        raise PermissionDenied
    scopes = selectors.scope_choices(city.pk)
    scope = request.GET.get("scope", Scope.ALL)
    key = request.GET.get("key", "")[:64]
    if scope not in Scope.values:
        scope = Scope.ALL
    themes = selectors.themes_for(
        city.pk, scope, key, public_only=False, limit=STAFF_LIMIT
    )
    return render(
        request,
        "insights/themes/list.html",
        {
            "city": city,
            "themes": themes,
            "scope": scope,
            "key": key,
            "scope_label": Scope(scope).label,
            "scopes": [
                {
                    "scope": s,
                    "key": k,
                    "label": Scope(s).label,
                    "current": (s, k) == (scope, key),
                }
                for s, k in scopes
            ],
            "label_max": LABEL_MAX,
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def theme_edit(request, pk: int):
    theme = get_object_or_404(Theme.objects.select_related("city"), pk=pk)
    if not _may(request.user, theme):
        raise PermissionDenied
    back = safe_next_url(
        request, reverse("insights:themes_city", kwargs={"slug": theme.city.slug})
    )
    action = request.POST.get("action")
    try:
        if action == "rename":
            services.theme_rename(
                theme=theme, label=request.POST.get("label", "")[:500], by=request.user
            )
            messages.success(request, _("The theme was renamed."))
        elif action in ("hide", "show"):
            services.theme_set_hidden(
                theme=theme, hidden=action == "hide", by=request.user
            )
            if action == "hide":
                messages.success(request, _("The theme is hidden from public pages."))
            else:
                messages.success(
                    request, _("The theme is shown on public pages again.")
                )
        elif action == "merge":
            into = Theme.objects.filter(pk=_int(request.POST.get("into"))).first()
            if into is None:
                raise Invalid(_("Choose another theme to merge into."))
            services.theme_merge(theme=theme, into=into, by=request.user)
            messages.success(request, _("The themes were merged."))
        else:
            messages.error(request, _("Choose an action."))
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect(back)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
