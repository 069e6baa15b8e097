"""The pages a visitor sees when something fails, in the address's language.

Finnish is unprefixed, Swedish and English live under /sv/ and /en/: each page
is rendered in the language of the path, whatever the browser or a cookie says.
404, 403 and the CSRF failure use the site's layout (base.html): the database
and the request are fine when they happen. 400 and 500 are self-contained
(errors/plain.html): a 400 may come from a Host header the site refuses, which
the layout's links would ask again, and a 500 may come from the database or a
context processor, so neither touches them.

Addresses under /api/ are answered in JSON instead, in the shape of the API's
own errors (`{"detail", "code"}`), for the programs that call them.

With DEBUG on, Django's own technical pages are kept for development.
"""

import logging

from csp.utils import build_policy
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import translation
from django.views import csrf

logger = logging.getLogger(__name__)


def _language(request) -> str:
    return (
        translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    )


API_ERRORS = {
    400: ("bad_request", "The request could not be handled."),
    403: ("forbidden", "You do not have permission to perform this action."),
    404: ("not_found", "Not found."),
    500: ("server_error", "Something went wrong on our side."),
}


def _api_error(request, status: int) -> HttpResponse | None:
    if not request.path_info.startswith("/api/"):
        return None
    code, detail = API_ERRORS[status]
    response = JsonResponse({"detail": detail, "code": code}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _site_page(request, template: str, status: int) -> HttpResponse:
    if (api := _api_error(request, status)) is not None:
        return api
    with translation.override(_language(request)):
        return render(request, template, status=status)


def page_not_found(request, exception=None) -> HttpResponse:
    """handler404"""
    return _site_page(request, "404.html", 404)


def permission_denied(request, exception=None) -> HttpResponse:
    """handler403"""
    return _site_page(request, "403.html", 403)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without a valid token (an old page, cookies
    blocked). Development keeps Django's page, which names the reason."""
    if settings.DEBUG:
        return csrf.csrf_failure(request, reason=reason)
    logger.info("CSRF failure on %s: %s", request.path, reason)
    return _site_page(request, "403_csrf.html", 403)


def _stylesheet() -> str | None:
    # Without a collected manifest `static` raises; the page then goes unstyled.
    try:
        return static("css/site.css")
    except Exception:  # noqa: BLE001 - an error page must not fail
        return None


def plain_page(request, template: str, status: int) -> HttpResponse:
    """A page that needs neither the database nor the request's context."""
    if (api := _api_error(request, status)) is not None:
        return api
    language = _language(request)
    home = "/" if language == settings.LANGUAGE_CODE else f"/{language}/"
    with translation.override(language):
        body = loader.render_to_string(
            template, {"stylesheet": _stylesheet(), "home_url": home}
        )
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    # A 400 may be raised in a middleware before the CSP and frame middlewares
    # had their turn: the page carries the site's policy itself.
    response["Content-Security-Policy"] = build_policy()
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return response


def bad_request(request, exception=None) -> HttpResponse:
    """handler400"""
    return plain_page(request, "400.html", 400)


def server_error_page(request) -> HttpResponse:
    """The 500 page (core.views.server_error answers 503 to a pool timeout)."""
    return plain_page(request, "500.html", 500)
