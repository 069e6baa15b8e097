"""The feedback API (Open311 GeoReport v2 with the CitySDK and 6Aika extensions).

Thin views: `params` reads the query, `query` reads the database, `serialize`
writes the answer. `api_endpoint` gives every view the same frame: the format
from the address (`.json` or `.xml`), the API's rate limit and its headers, CORS
for reading, and every refusal as the Open311 error body. No parameter reaches
the database unchecked, so none produces a 500.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from core.apikeys import InvalidApiKey
from core.cursors import cursor_encode
from core.ratelimit import add_rate_headers, api_rate
from feedback.api import query as q
from feedback.api.answer import Answer, error_answer
from feedback.api.errors import ApiError, not_found
from feedback.api.params import (
    MAX_ID,
    ORDERINGS,
    city_from,
    extensions_from,
    is_code,
    locale_from,
    request_query,
)
from feedback.api.posting import request_post
from feedback.api.serialize import api_time, item_dict, service_dict, to_xml
from feedback.models import FeedbackService

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
OPEN311_SPEC = "http://wiki.open311.org/GeoReport_v2"


def render(answer: Answer, fmt: str) -> HttpResponse:
    if fmt == "xml":
        body, content_type = to_xml(answer.root, answer.data), XML_TYPE
    else:
        body = json.dumps(answer.data, ensure_ascii=False, separators=(",", ":"))
        content_type = JSON_TYPE
    response = HttpResponse(body, status=answer.status, content_type=content_type)
    for name, value in answer.headers.items():
        response[name] = value
    return response


def anonymous_limit() -> int:
    return getattr(settings, "FEEDBACK_API_ANON_PER_MINUTE", 60)


def key_limit() -> int:
    return getattr(settings, "FEEDBACK_API_KEY_PER_MINUTE", 600)


def api_endpoint(*methods: str) -> Callable:
    """The API's frame around a view `(request, **kwargs) -> Answer`."""

    def decorate(view: Callable[..., Answer]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # no cookies are read: writing needs the API key
        @functools.wraps(view)
        def wrapper(request: HttpRequest, fmt: str = "json", **kwargs) -> HttpResponse:
            reading = request.method in ("GET", "HEAD", "OPTIONS")
            rate = None
            try:
                if request.method == "OPTIONS":
                    answer = Answer(None, root="none", status=204)
                elif request.method not in methods and not (
                    request.method == "HEAD" and "GET" in methods
                ):
                    answer = error_answer(405, f"Use {' or '.join(methods)} here.")
                    answer.headers["Allow"] = ", ".join(methods)
                else:
                    rate = api_rate(
                        request,
                        name="georeport",
                        anonymous_limit=anonymous_limit(),
                        key_limit=key_limit(),
                    )
                    if not rate.allowed:
                        answer = error_answer(
                            429, f"Too many requests: try again in {rate.reset} s."
                        )
                    else:
                        with translation.override(locale_from(request.GET)):
                            answer = view(request, **kwargs)
            except InvalidApiKey:
                answer = error_answer(
                    403, "This API key is not valid: it is wrong, revoked or expired."
                )
            except ApiError as error:
                answer = error_answer(error.status, error.description)
            if answer.status == 204:
                response = HttpResponse(status=204)
            else:
                response = render(answer, fmt)
            if rate is not None:
                add_rate_headers(response, rate)
            if reading and "GET" in methods:
                # Anyone's page may read public feedback (no cookies are used).
                response["Access-Control-Allow-Origin"] = "*"
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Allow-Headers"] = "X-Api-Key, Authorization"
                response["Access-Control-Expose-Headers"] = (
                    "Link, X-Next-Page-URL, X-RateLimit-Limit, "
                    "X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After"
                )
            return response

        return wrapper

    return decorate


@api_endpoint("GET")
def discovery(request: HttpRequest) -> Answer:
    """Open311 discovery: where the endpoints are and what they speak."""
    changed = FeedbackService.objects.aggregate(last=Max("updated_at"))["last"]
    base = request.build_absolute_uri(reverse("georeport:root"))
    return Answer(
        {
            "changeset": api_time(changed),
            "contact": "Palvelupaja feedback API; see " + base + "openapi.json",
            "key_service": (
                "Reading needs no key. Posting needs an API key with the "
                "feedback:write scope from the city's administrators."
            ),
            "openapi": base + "openapi.json",
            "endpoints": [
                {
                    "specification": OPEN311_SPEC,
                    "url": base.rstrip("/"),
                    "changeset": api_time(changed),
                    "type": "production",
                    "formats": ["application/json", "application/xml"],
                }
            ],
        },
        root="discovery",
    )


@api_endpoint("GET")
def services(request: HttpRequest) -> Answer:
    rows = q.services_active(city_from(request.GET))
    return Answer([service_dict(service) for service in rows], root="services")


@api_endpoint("GET")
def service_detail(request: HttpRequest, code: str) -> Answer:
    service = None
    if is_code(code):
        service = FeedbackService.objects.filter(service_code=code).first()
    if service is None:
        raise not_found(f"No service has the code {code[:60]!r}.")
    return Answer([service_dict(service)], root="services")


@api_endpoint("GET", "POST")
def requests(request: HttpRequest) -> Answer:
    if request.method == "POST":
        return request_post(request)
    query = request_query(request.GET)
    items, last = q.items_page(q.items_filter(q.items_public(), query), query)
    q.details_attach(items)
    data = [item_dict(request, item, extensions=query.extensions) for item in items]
    headers = {}
    if last is not None:
        field, _newest_first = ORDERINGS[query.order_by]
        params = request.GET.copy()
        params["cursor"] = cursor_encode(getattr(last, field), last.pk)
        url = request.build_absolute_uri(request.path) + "?" + params.urlencode()
        headers = {"Link": f'<{url}>; rel="next"', "X-Next-Page-URL": url}
    return Answer(data, root="service_requests", headers=headers)


@api_endpoint("GET")
def request_detail(request: HttpRequest, pk: str) -> Answer:
    extensions = extensions_from(request.GET)
    # An id that cannot be one (not digits, or beyond the database's range) is
    # simply not found.
    if not pk.isascii() or not pk.isdigit() or int(pk) > MAX_ID:
        raise not_found("No public feedback has this id.")
    items = list(q.items_public().filter(pk=int(pk)))
    if not items:
        raise not_found("No public feedback has this id.")
    q.details_attach(items)
    item = items[0]
    return Answer(
        [item_dict(request, item, extensions=extensions)], root="service_requests"
    )


@api_endpoint("GET")
def unknown(request: HttpRequest, **kwargs) -> Answer:
    raise not_found(
        "No such address: the API's paths end in .json or .xml; see discovery.json."
    )
