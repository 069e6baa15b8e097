"""The feedback API's OpenAPI 3.1 document, served at `openapi.json`.

Written as data rather than generated: the views are plain Django views whose
answers (two formats, Open311 element names) no generator describes as sent. The
tests validate every JSON answer against `components.schemas` here, so the
document cannot drift from what the API sends.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from feedback.api.params import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_RADIUS,
    MAX_PAGE_SIZE,
    MAX_RADIUS,
    ORDERINGS,
)
from feedback.models import Kind, Status

STR = {"type": "string"}
TIME = {"type": "string", "format": "date-time"}
TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _xml_list(root: str, item: str, items: dict, **extra) -> dict:
    """An array whose XML is `<root><item>…</item>…</root>`."""
    return {
        "type": "array",
        "items": {**items, "xml": {"name": item}},
        "xml": {"name": root, "wrapped": True},
        **extra,
    }


def _obj(properties: dict[str, Any], required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
        "additionalProperties": False,
    }


SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        {
            "code": {"type": "integer", "description": "The HTTP status."},
            "description": {"type": "string", "description": "What went wrong."},
        }
    ),
    "Errors": _xml_list("errors", "error", _ref("Error"), minItems=1),
    "Service": _obj(
        {
            "service_code": STR,
            "service_name": STR,
            "description": STR,
            "metadata": {"type": "boolean", "const": False},
            "type": {"type": "string", "const": "realtime"},
            "keywords": {
                "type": "array",
                "items": STR,
                "description": "XML: one comma separated text.",
            },
            "group": {"type": "string", "description": "The subject area."},
        }
    ),
    "Services": _xml_list("services", "service", _ref("Service")),
    "HistoryEntry": _obj(
        {
            "time": TIME,
            "status": {"type": "string", "enum": list(Status.values)},
            "note": {"type": "string", "description": "A public note; may be empty."},
        }
    ),
    "ExtendedAttributes": _obj(
        {
            "title": STR,
            "kind": {"type": "string", "enum": list(Kind.values)},
            "media_urls": _xml_list(
                "media_urls",
                "media_url",
                {"type": "string", "format": "uri"},
                description="The checked (approved) photos.",
            ),
            "service_object_id": STR,
            "service_object_type": STR,
            "request_history": _xml_list(
                "request_history",
                "entry",
                _ref("HistoryEntry"),
                description="The public steps of the handling trail (6Aika log).",
            ),
        }
    ),
    "ServiceRequest": _obj(
        {
            "service_request_id": STR,
            "status": {"type": "string", "enum": ["open", "closed"]},
            "status_notes": {
                "type": "string",
                "description": "The city's answer, or else its last public note.",
            },
            "service_name": STR,
            "service_code": STR,
            "description": {
                "type": "string",
                "description": "The public text (perhaps redacted by a handler).",
            },
            "agency_responsible": STR,
            "service_notice": STR,
            "requested_datetime": TIME,
            "updated_datetime": TIME,
            "expected_datetime": TIME_OR_NULL,
            "address": {
                "type": "string",
                "description": "Only once a handler confirmed the place; else empty.",
            },
            "address_id": STR,
            "zipcode": STR,
            "lat": {
                "type": ["number", "null"],
                "description": "The published point (coarsened to about 100 m "
                "unless a handler confirmed it).",
            },
            "long": {"type": ["number", "null"]},
            "media_url": {
                "type": "string",
                "description": "The first photo, or empty.",
            },
            "extended_attributes": _ref("ExtendedAttributes"),
        },
        required=[
            "service_request_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "service_notice",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "address_id",
            "zipcode",
            "lat",
            "long",
            "media_url",
        ],
    ),
    "ServiceRequests": _xml_list("service_requests", "request", _ref("ServiceRequest")),
    "PostedRequest": _obj(
        {
            "service_request_id": STR,
            "service_notice": STR,
            "account_id": {"type": "null"},
        }
    ),
    "PostedRequests": _xml_list(
        "service_requests", "request", _ref("PostedRequest"), minItems=1, maxItems=1
    ),
    "Endpoint": _obj(
        {
            "specification": STR,
            "url": {"type": "string", "format": "uri"},
            "changeset": TIME_OR_NULL,
            "type": {"type": "string", "enum": ["production", "test"]},
            "formats": _xml_list("formats", "format", STR),
        }
    ),
    "Discovery": {"xml": {"name": "discovery"}}
    | _obj(
        {
            "changeset": TIME_OR_NULL,
            "contact": STR,
            "key_service": STR,
            "openapi": {"type": "string", "format": "uri"},
            "endpoints": _xml_list("endpoints", "endpoint", _ref("Endpoint")),
        }
    ),
}


def _param(name: str, description: str, schema: dict | None = None, **extra) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or STR,
        **extra,
    }


FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "The answer's format; the path ends in `.json` or `.xml`.",
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
LOCALE = _param(
    "locale",
    "fi, sv or en (`fi_FI` reads as fi); anything else is English. Translates "
    "service names, descriptions and groups.",
)
JURISDICTION = _param(
    "jurisdiction_id",
    "A city's slug: only its services or feedback (an unknown one is 404).",
)
EXTENSIONS = _param(
    "extensions",
    "true adds `extended_attributes` (CitySDK and 6Aika).",
    {"type": "boolean", "default": False},
)
RATE_HEADERS = {
    name: {"schema": {"type": "integer"}, "description": text}
    for name, text in (
        ("X-RateLimit-Limit", "Requests allowed a minute."),
        ("X-RateLimit-Remaining", "Requests left this minute."),
        ("X-RateLimit-Reset", "Seconds until the minute starts again."),
    )
}
ERROR_TEXT = (
    "The Open311 error body (XML: `<errors><error><code>…</code>"
    "<description>…</description></error></errors>`)."
)


def _errors(*codes: int) -> dict[str, Any]:
    return {
        str(code): {
            "description": ERROR_TEXT,
            "content": {
                "application/json": {"schema": _ref("Errors")},
                "application/xml": {"schema": _ref("Errors")},
            },
        }
        for code in codes
    }


def _ok(schema: str, description: str, headers: dict | None = None) -> dict:
    return {
        "description": description,
        "headers": {**RATE_HEADERS, **(headers or {})},
        "content": {
            "application/json": {"schema": _ref(schema)},
            "application/xml": {"schema": _ref(schema)},
        },
    }


def _get(summary: str, params: list, ok: dict, *codes: int) -> dict:
    return {
        "get": {
            "summary": summary,
            "parameters": [FORMAT, *params],
            "responses": {"200": ok, **_errors(400, 403, 405, 429, *codes)},
        }
    }


REQUEST_FILTERS = [
    _param("service_request_id", "Comma separated ids."),
    _param("service_code", "Comma separated service codes."),
    _param("start_date", "Sent at or after (ISO 8601 date or time).", TIME),
    _param("end_date", "Sent at or before; a date means its end.", TIME),
    _param("status", "open, closed or both, comma separated."),
    _param("updated_after", "Changed at or after (ISO 8601).", TIME),
    _param("updated_before", "Changed at or before (ISO 8601).", TIME),
    _param("lat", "With long: the centre of a radius search.", {"type": "number"}),
    _param("long", "With lat.", {"type": "number"}),
    _param(
        "radius",
        f"Metres, more than 0 and at most {MAX_RADIUS:.0f} "
        f"(default {DEFAULT_RADIUS:.0f} when lat and long are given).",
        {"type": "number"},
    ),
    _param("bbox", "left,bottom,right,top in WGS84 degrees."),
    _param("service_object_id", "Only feedback on this object."),
    _param("service_object_type", "Only feedback on objects of this type."),
    JURISDICTION,
    LOCALE,
    EXTENSIONS,
    _param(
        "page_size",
        f"Items a page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
        {"type": "integer", "minimum": 1},
    ),
    _param("order_by", "The order.", {"type": "string", "enum": list(ORDERINGS)}),
    _param("cursor", "The next page's position, from the Link header."),
]
NEXT_HEADERS = {
    "Link": {"schema": STR, "description": 'The next page: `<url>; rel="next"`.'},
    "X-Next-Page-URL": {"schema": STR, "description": "The next page's address."},
}
POST_FIELDS = {
    "api_key": (STR, "A key with the feedback:write scope."),
    "service_code": (STR, "From services."),
    "description": (STR, "The feedback."),
    "title": (STR, "A short title (default: the description's beginning)."),
    "kind": ({"type": "string", "enum": list(Kind.values)}, "Default fault_report."),
    "lat": ({"type": "number"}, "With long."),
    "long": ({"type": "number"}, "With lat."),
    "address_string": (STR, "The place in words."),
    "email": (STR, "For a personal answer; never published."),
    "first_name": (STR, "Never published."),
    "last_name": (STR, "Never published."),
    "phone": (STR, "Never published."),
    "media": (
        {"type": "string", "format": "binary"},
        "A photo (JPEG, PNG or WebP; also as media[]); public once checked.",
    ),
    "locale": (STR, "The feedback's language: fi, sv or en."),
    "service_object_id": (STR, "The object it is about (with its type)."),
    "service_object_type": (STR, "The namespace of service_object_id, a URI."),
}


def document(base_url: str) -> dict[str, Any]:
    """The OpenAPI document, its server at `base_url`."""
    post_schema = {
        "type": "object",
        "required": ["api_key", "service_code", "description"],
        "properties": {
            name: {**schema, "description": text}
            for name, (schema, text) in POST_FIELDS.items()
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Palvelupaja feedback API",
            "version": "2",
            "description": (
                "Open311 GeoReport v2 with the CitySDK and 6Aika extensions "
                "(6aika/api-palaute). Public feedback only; contact details are "
                "never sent. Times are ISO 8601 to the second with an offset."
            ),
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/discovery.{format}": _get(
                "Open311 discovery", [], _ok("Discovery", "Where the endpoints are.")
            ),
            "/services.{format}": _get(
                "The services feedback can be about (active ones)",
                [JURISDICTION, LOCALE],
                _ok("Services", "XML: `<services><service>…`."),
                404,
            ),
            "/services/{service_code}.{format}": _get(
                "One service, as a one-item list",
                [
                    {
                        "name": "service_code",
                        "in": "path",
                        "required": True,
                        "schema": STR,
                    },
                    LOCALE,
                ],
                _ok("Services", "A one-item list."),
                404,
            ),
            "/requests.{format}": {
                **_get(
                    "Public feedback, newest first",
                    REQUEST_FILTERS,
                    _ok(
                        "ServiceRequests",
                        "XML: `<service_requests><request>…`.",
                        NEXT_HEADERS,
                    ),
                    404,
                ),
                "post": {
                    "summary": "Send feedback (an API key with feedback:write)",
                    "parameters": [FORMAT],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": post_schema
                            },
                            "multipart/form-data": {"schema": post_schema},
                        },
                    },
                    "responses": {
                        "201": _ok("PostedRequests", "The new feedback's id."),
                        **_errors(400, 403, 404, 405, 429),
                    },
                },
            },
            "/requests/{service_request_id}.{format}": _get(
                "One public item, as a one-item list",
                [
                    {
                        "name": "service_request_id",
                        "in": "path",
                        "required": True,
                        "schema": STR,
                    },
                    LOCALE,
                    EXTENSIONS,
                ],
                _ok("ServiceRequests", "A one-item list."),
                404,
            ),
        },
        "components": {"schemas": SCHEMAS},
    }


def openapi_document(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri(reverse("georeport:root")).rstrip("/")
    response = JsonResponse(document(base), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
