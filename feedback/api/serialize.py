"""Items and services as the API sends them: plain dicts for JSON, and the same
dicts written as XML.

Only public text leaves here: the public title and description (a handler's
redaction, never the original), the published point, the address only once a
handler confirmed the place, the approved photos, the public steps of the trail.
Contact details are never read.

XML is written by hand with `xml.etree`: the Open311 element names differ per list
(`<services><service>`, `<service_requests><request>`, `<errors><error>`), which a
generic renderer (and a dependency for it) would only approximate.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from xml.etree import ElementTree as ET

from django.utils import timezone

from feedback.models import FeedbackItem, FeedbackService
from feedback.photos import photo_path

# Characters XML 1.0 cannot hold (stored text has none, but a reader's parser must
# never fail on us).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def api_time(value: datetime.datetime | None) -> str | None:
    """The one time format of the API and the open data: ISO 8601 to the second,
    in the site's time zone with its offset (`2026-03-01T14:30:05+02:00`)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def service_dict(service: FeedbackService) -> dict[str, Any]:
    """An Open311 service, in the active language."""
    keywords = [word.strip() for word in service.keywords.split(",") if word.strip()]
    return {
        "service_code": service.service_code,
        "service_name": service.name,
        "description": service.description,
        "metadata": False,
        "type": "realtime",
        "keywords": keywords,
        "group": service.group,
    }


def photo_url(request, stored_name: str) -> str:
    """The absolute address of a photo (by its stored name), served by the view
    that applies visibility."""
    return request.build_absolute_uri(photo_path(stored_name))


def item_dict(request, item: FeedbackItem, *, extensions: bool) -> dict[str, Any]:
    """An Open311 service request; `item` from `query.details_attach`."""
    photos = [photo_url(request, name) for name in item.public_photos]
    history = item.public_history
    notes = [step.note for step in history if step.note]
    status_notes = item.answer or (notes[-1] if notes else "")
    service = item.service
    data: dict[str, Any] = {
        "service_request_id": str(item.pk),
        "status": item.open311_status,
        "status_notes": status_notes,
        "service_name": service.name,
        "service_code": service.service_code,
        "description": item.public_description,
        "agency_responsible": item.agency.name if item.agency else "",
        "service_notice": _notice(item),
        "requested_datetime": api_time(item.requested_at),
        "updated_datetime": api_time(item.updated_at),
        "expected_datetime": api_time(item.expected_at),
        "address": item.address if item.place_confirmed else "",
        "address_id": "",
        "zipcode": "",
        "lat": item.public_lat,
        "long": item.public_long,
        "media_url": photos[0] if photos else "",
    }
    if extensions:
        data["extended_attributes"] = {
            "title": item.public_title,
            "kind": item.kind,
            "media_urls": photos,
            "service_object_id": item.service_object_id,
            "service_object_type": item.service_object_type,
            "request_history": [
                {
                    "time": api_time(step.created_at),
                    "status": step.status,
                    "note": step.note,
                }
                for step in history
            ],
        }
    return data


def _notice(item: FeedbackItem) -> str:
    """Information on how the request is handled: a duplicate names the request it
    is handled with (when that one is public)."""
    if item.merged_into_id and getattr(item, "merged_into_public", False):
        return f"A duplicate: handled as request {item.merged_into_id}."
    return ""


# The XML element of one entry of each list.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "media_urls": "media_url",
    "request_history": "entry",
}


def to_xml(root: str, data: Any) -> bytes:
    """`data` (dicts, lists, scalars) as an XML document with the element `root`."""
    element = ET.Element(root)
    _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def _fill(element: ET.Element, data: Any) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            if value is None:
                continue  # an absent value is an absent element
            _fill(ET.SubElement(element, key), value)
    elif isinstance(data, list) and element.tag == "keywords":
        # Open311's XML keeps keywords as one comma separated text.
        element.text = _NOT_XML.sub("", ",".join(data))
    elif isinstance(data, list):
        tag = ITEM_TAGS.get(element.tag, "item")
        for value in data:
            _fill(ET.SubElement(element, tag), value)
    elif isinstance(data, bool):
        element.text = "true" if data else "false"
    else:
        element.text = _NOT_XML.sub("", str(data))
