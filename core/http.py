"""Small HTTP helpers every app's views share."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def return_path(request: HttpRequest) -> str:
    """Where to come back to after logging in: this page when it was a GET; after
    a POST (a refused form, say) the page the form was on, if it is ours."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter (POST, then GET) when it points to this site, else
    `fallback`: never an open redirect to another host or scheme."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def absolute_url(path: str) -> str:
    """`path` on the site's public address (`SITE_URL`), for e-mails and data
    read away from the site; an address that is already absolute is kept."""
    if not path.startswith("/"):
        return path
    return settings.SITE_URL.rstrip("/") + path
