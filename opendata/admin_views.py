"""API keys in the Wagtail admin: administrators issue them (the key is shown
once, with the scopes chosen) and revoke them. Every write goes through
`core.apikeys`, which `manage.py issue_api_key` uses too."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import apikeys
from core.errors import SERVICE_ERRORS, error_text, form_add_service_error
from core.models import ApiKey
from opendata.api import anonymous_limit, key_limit
from opendata.forms import ApiKeyForm


def _superuser(request: HttpRequest) -> None:
    if not rules.has_perm("core.manage_api_keys", request.user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    _superuser(request)
    issued_key = None
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, issued_key = apikeys.api_key_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                owner=form.cleaned_data["owner"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.cleaned_data["expiry_date"],
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request, _("API key “%(name)s” issued.") % {"name": api_key.name}
            )
            form = ApiKeyForm()
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "opendata/admin/api_keys.html",
        {
            "form": form,
            "issued_key": issued_key,
            "keys": ApiKey.objects.order_by("revoked", "-created"),
            "key_limit": key_limit(),
            "anonymous_limit": anonymous_limit(),
        },
        status=status,
    )


@require_POST
def api_key_revoke(request: HttpRequest, prefix: str) -> HttpResponse:
    _superuser(request)
    api_key = get_object_or_404(ApiKey, prefix=prefix)
    try:
        apikeys.api_key_revoke(user=request.user, api_key=api_key)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("API key “%(name)s” revoked.") % {"name": api_key.name}
        )
    return redirect("opendata_admin:api_keys")
