"""One service request of another GeoReport v2 (6Aika) server, read for import:
checked against the 6Aika specification's shape (`RECORD_SCHEMA`), its text
through `core.sanitize`, and turned into our item's fields. Writes nothing;
`feedback/services/imports.py` stores what this returns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from jsonschema import Draft202012Validator

from core.sanitize import clean_text
from core.text.analysis import guess_language
from feedback.models import (
    ADDRESS_MAX_LENGTH,
    ANSWER_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    FeedbackImportSource,
    Kind,
    Status,
)

# A record claiming to be updated further ahead than this is refused: it would
# push the cursor past every future update.
FUTURE_SLACK = datetime.timedelta(days=1)

_text = {"type": "string"}
_id = {"type": ["string", "integer"], "minLength": 1, "maxLength": 100}
_history_entry = {
    "type": "object",
    "required": ["time", "status"],
    "properties": {
        "time": _text,
        "status": _text,
        "note": {"type": ["string", "null"], "maxLength": NOTE_MAX_LENGTH},
    },
}
_history = {"type": ["array", "null"], "maxItems": 200, "items": _history_entry}
# One service request as the 6Aika specification (`palaute.swagger.yaml`) has it:
# GeoReport v2 plus the CitySDK extensions and the request log.
RECORD_SCHEMA = {
    "type": "object",
    "required": ["service_request_id", "status", "service_code", "requested_datetime"],
    "properties": {
        "service_request_id": _id,
        "status": {"enum": ["open", "closed"]},
        "service_code": {"type": ["string", "integer"], "maxLength": 100},
        "description": {
            "type": ["string", "null"],
            "maxLength": DESCRIPTION_MAX_LENGTH,
        },
        "status_notes": {"type": ["string", "null"], "maxLength": ANSWER_MAX_LENGTH},
        "requested_datetime": _text,
        "updated_datetime": {"type": ["string", "null"]},
        "expected_datetime": {"type": ["string", "null"]},
        "address": {"type": ["string", "null"], "maxLength": 1000},
        "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
        "long": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        "extended_attributes": {
            "type": ["object", "null"],
            "properties": {
                "title": {"type": ["string", "null"], "maxLength": 1000},
                "kind": {"type": ["string", "null"]},
                "service_object_id": {"type": ["string", "null"], "maxLength": 100},
                "service_object_type": {"type": ["string", "null"], "maxLength": 200},
                "request_history": _history,
                "log": _history,
            },
        },
    },
    "dependentRequired": {"lat": ["long"], "long": ["lat"]},
}
_validator = Draft202012Validator(RECORD_SCHEMA)


class BadRecord(ValueError):
    """One record that cannot be imported; the message says why."""


EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


@dataclass
class Record:
    external_id: str
    service_code: str
    updated: datetime.datetime
    fields: dict
    history: list[tuple[datetime.datetime, str, str]]


def _when(value, name: str, *, required: bool = False) -> datetime.datetime | None:
    if value in (None, ""):
        if required:
            raise BadRecord(f"{name} is missing")
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadRecord(f"{name} is not an ISO 8601 date and time: {value[:40]!r}")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    # A year the API cannot show in local time (or a century away) is a broken
    # record, not a date to store.
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise BadRecord(f"{name} is out of range: {value[:40]!r}")
    return parsed


def record_parse(raw: object, source: FeedbackImportSource) -> Record:
    """A checked, cleaned record, or BadRecord."""
    error = next(iter(_validator.iter_errors(raw)), None)
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "record"
        raise BadRecord(f"{where}: {error.message[:200]}")
    ext = raw.get("extended_attributes") or {}
    requested = _when(raw["requested_datetime"], "requested_datetime", required=True)
    updated = _when(raw.get("updated_datetime"), "updated_datetime") or requested
    if updated > timezone.now() + FUTURE_SLACK:
        raise BadRecord(f"updated_datetime is in the future ({updated.isoformat()})")
    description = clean_text(raw.get("description"))
    title = clean_text(ext.get("title"), multiline=False)
    if not title:
        title = description.split("\n", 1)[0]
    if len(title) > TITLE_MAX_LENGTH:
        title = title[: TITLE_MAX_LENGTH - 1].rstrip() + "…"
    if not description:
        description = title
    if not description:
        raise BadRecord("it has neither a title nor a description")
    history = []
    for entry in ext.get("request_history") or ext.get("log") or []:
        if entry["status"] in Status.values:
            at = _when(entry["time"], "request_history.time", required=True)
            history.append((at, entry["status"], clean_text(entry.get("note"))))
    history.sort(key=lambda step: step[0])
    if raw["status"] == "closed":
        status = Status.DONE
    elif history and history[-1][1] != Status.DONE:
        status = history[-1][1]
    else:
        status = Status.RECEIVED
    answer = clean_text(raw.get("status_notes"))
    kind = ext.get("kind") if ext.get("kind") in Kind.values else source.default_kind
    lat, long = raw.get("lat"), raw.get("long")
    return Record(
        external_id=str(raw["service_request_id"]),
        service_code=str(raw["service_code"]),
        updated=updated,
        history=history,
        fields={
            "title": title,
            "description": description,
            "language": guess_language(f"{title}\n{description}", "fi"),
            "kind": kind,
            "status": status,
            "answer": answer,
            "answered_at": updated if answer else None,
            "requested_at": requested,
            "expected_at": _when(raw.get("expected_datetime"), "expected_datetime"),
            "closed_at": updated if status == Status.DONE else None,
            "address": clean_text(raw.get("address"), multiline=False)[
                :ADDRESS_MAX_LENGTH
            ],
            "lat": float(lat) if lat is not None else None,
            "long": float(long) if long is not None else None,
            "service_object_id": clean_text(ext.get("service_object_id"))[:100],
            "service_object_type": clean_text(ext.get("service_object_type"))[:200],
        },
    )
