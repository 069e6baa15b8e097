"""Helpers for the feedback API's tests: fetch in either format, check an answer
against the API's own OpenAPI schema, and read XML safely."""

from __future__ import annotations

import json
from typing import Any

from defusedxml import ElementTree as SafeET
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from feedback.api.openapi import document

BASE = "/api/georeport/v2/"
_DOCUMENT = document("http://testserver/api/georeport/v2")
_REGISTRY = Registry().with_resource(
    "urn:georeport",
    Resource.from_contents(_DOCUMENT, default_specification=DRAFT202012),
)


def schema_check(data: Any, name: str) -> None:
    """Raise unless `data` is valid as the component schema `name`."""
    validator = Draft202012Validator(
        {"$ref": f"urn:georeport#/components/schemas/{name}"}, registry=_REGISTRY
    )
    validator.validate(data)


def get_json(
    client, path: str, params: dict | None = None, *, status: int = 200, **extra
):
    response = client.get(BASE + path + ".json", params or {}, **extra)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response, json.loads(response.content)


def get_xml(client, path: str, params: dict | None = None, *, status: int = 200):
    response = client.get(BASE + path + ".xml", params or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/xml")
    return response, SafeET.fromstring(response.content)


def error_check(data: Any, status: int) -> str:
    """The description of an Open311 error body for `status`."""
    schema_check(data, "Errors")
    assert data[0]["code"] == status
    return data[0]["description"]


def png_bytes(size: tuple[int, int] = (4, 3)) -> bytes:
    """A small real PNG."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def photo_add(item, *, approved: bool, name: str = "photo.png"):
    from django.core.files.base import ContentFile

    from feedback.models import FeedbackPhoto

    return FeedbackPhoto.objects.create(
        item=item, image=ContentFile(png_bytes(), name=name), approved=approved
    )
