"""The query parameters of `requests` GET, read into one `RequestQuery`.

Every parameter is untrusted: anything malformed is an `ApiError` 400 saying
which parameter and why, never a database error later. Dates are ISO 8601, a
day (`2026-03-01`) or a time (`2026-03-01T12:00:00+02:00`, `…Z`); a time without
an offset is read in the site's time zone. A day as `start_date`/`updated_after`
means its start, as `end_date`/`updated_before` its end ("before or during").
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils import timezone

from core.cursors import cursor_decode
from core.models import City
from feedback.api.errors import bad_request, not_found
from feedback.models import SERVICE_CODE_MAX_LENGTH

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# Radius search in metres: the default when only lat and long are given, and the
# largest a client may ask for (a city; beyond that a bbox says what is meant).
DEFAULT_RADIUS = 1000.0
MAX_RADIUS = 50_000.0
# Comma lists longer than this are not a query a client means.
MAX_LIST_ITEMS = 100
# Request ids are the database's bigint ids.
MAX_ID = 2**63 - 1
LOCALES = ("fi", "sv", "en")
DEFAULT_LOCALE = "en"
OPEN311_STATUSES = ("open", "closed")
# `order_by`: the API name → (model field, newest first).
ORDERINGS: dict[str, tuple[str, bool]] = {
    "-requested_datetime": ("requested_at", True),
    "requested_datetime": ("requested_at", False),
    "-updated_datetime": ("updated_at", True),
    "updated_datetime": ("updated_at", False),
}
DEFAULT_ORDERING = "-requested_datetime"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODE = re.compile(r"[-a-zA-Z0-9_]+")


def is_code(value: str) -> bool:
    """Whether `value` can be a service code (a slug of at most the length)."""
    return len(value) <= SERVICE_CODE_MAX_LENGTH and bool(_CODE.fullmatch(value))


@dataclass
class RequestQuery:
    """What a `requests` GET asks for, checked."""

    ids: list[int] | None = None
    service_codes: list[str] | None = None
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    statuses: list[str] | None = None
    updated_after: datetime.datetime | None = None
    updated_before: datetime.datetime | None = None
    # (lat, long, radius in metres)
    circle: tuple[float, float, float] | None = None
    # (min long, min lat, max long, max lat)
    bbox: tuple[float, float, float, float] | None = None
    service_object_id: str | None = None
    service_object_type: str | None = None
    city: City | None = None
    locale: str = DEFAULT_LOCALE
    extensions: bool = False
    page_size: int = DEFAULT_PAGE_SIZE
    order_by: str = DEFAULT_ORDERING
    after: tuple[datetime.datetime, int] | None = field(default=None)


def city_from(params: QueryDict) -> City | None:
    """The city `jurisdiction_id` names (its slug), None when not given; an
    unknown one is a 404."""
    value = params.get("jurisdiction_id")
    if value is None:
        return None
    city = None
    if len(value) <= 60 and _CODE.fullmatch(value):
        city = City.objects.filter(slug=value).first()
    if city is None:
        raise not_found(f"No jurisdiction has the id {value[:60]!r}.")
    return city


def locale_from(params: QueryDict) -> str:
    """The answer's language: fi, sv or en (`fi_FI` and `en-GB` read as fi and
    en); English for anything else, as the spec says a locale is only a wish."""
    value = params.get("locale", "")[:2].lower()
    return value if value in LOCALES else DEFAULT_LOCALE


def extensions_from(params: QueryDict) -> bool:
    value = params.get("extensions", "").lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise bad_request("extensions must be true or false.")


def request_query(params: QueryDict) -> RequestQuery:
    """The checked query of `params`; raises ApiError 400 for a malformed one."""
    # PostgreSQL refuses NUL in text: a client's mistake, not a server error.
    if any("\x00" in value for values in params.lists() for value in values[1]):
        raise bad_request("Parameters cannot contain NUL characters.")
    query = RequestQuery(locale=locale_from(params), extensions=extensions_from(params))
    if "service_request_id" in params:
        query.ids = [_id(value) for value in _list(params, "service_request_id")]
    if "service_code" in params:
        query.service_codes = [_code(v) for v in _list(params, "service_code")]
    if "status" in params:
        query.statuses = _list(params, "status")
        for value in query.statuses:
            if value not in OPEN311_STATUSES:
                raise bad_request("status must be open or closed (comma separated).")
    query.start = _time(params, "start_date", end_of_day=False)
    query.end = _time(params, "end_date", end_of_day=True)
    query.updated_after = _time(params, "updated_after", end_of_day=False)
    query.updated_before = _time(params, "updated_before", end_of_day=True)
    query.circle = _circle(params)
    query.bbox = _bbox(params)
    for name in ("service_object_id", "service_object_type"):
        if name in params:
            value = params[name]
            if not value or len(value) > 200:
                raise bad_request(f"{name} must be 1 to 200 characters.")
            setattr(query, name, value)
    query.city = city_from(params)
    query.page_size = _page_size(params)
    query.order_by = params.get("order_by", DEFAULT_ORDERING) or DEFAULT_ORDERING
    if query.order_by not in ORDERINGS:
        raise bad_request("order_by must be one of: " + ", ".join(ORDERINGS) + ".")
    if params.get("cursor"):
        after = cursor_decode(params["cursor"], kind=datetime.datetime)
        if after is not None and not _in_range(after[0]):
            after = None
        if after is None:
            raise bad_request("cursor is not one this API made: start again without.")
        query.after = after
    return query


def _in_range(moment: datetime.datetime) -> bool:
    try:
        moment.astimezone(datetime.UTC)
    except OverflowError:
        return False
    return True


def _list(params: QueryDict, name: str) -> list[str]:
    values = [value.strip() for value in params[name].split(",")]
    if not all(values):
        raise bad_request(f"{name} must be a comma separated list without blanks.")
    if len(values) > MAX_LIST_ITEMS:
        raise bad_request(f"{name} takes at most {MAX_LIST_ITEMS} values.")
    return values


def _id(value: str) -> int:
    if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        raise bad_request(f"{value[:30]!r} is not a service_request_id.")
    return int(value)


def _code(value: str) -> str:
    if not is_code(value):
        raise bad_request(f"{value[:30]!r} is not a service_code.")
    return value


def _time(
    params: QueryDict, name: str, *, end_of_day: bool
) -> datetime.datetime | None:
    value = params.get(name)
    if value is None:
        return None
    message = (
        f"{name} must be an ISO 8601 date or time, such as 2026-03-01 or "
        "2026-03-01T12:00:00+02:00."
    )
    if len(value) > 40:
        raise bad_request(message)
    try:
        if _DAY.fullmatch(value):
            day = datetime.date.fromisoformat(value)
            moment = datetime.datetime.combine(day, datetime.time.min)
            if end_of_day:
                moment += datetime.timedelta(days=1, microseconds=-1)
        else:
            moment = datetime.datetime.fromisoformat(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # The database's range, in UTC (year 1 or 9999 with an offset is out).
        moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise bad_request(message) from None
    return moment


def _float(params: QueryDict, name: str, low: float, high: float) -> float:
    try:
        value = float(params[name])
    except ValueError:
        raise bad_request(f"{name} must be a number.") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise bad_request(f"{name} must be between {low:g} and {high:g}.")
    return value


def _circle(params: QueryDict) -> tuple[float, float, float] | None:
    has = [name in params for name in ("lat", "long", "radius")]
    if not any(has):
        return None
    if not (has[0] and has[1]):
        raise bad_request("lat and long go together (and radius needs both).")
    lat = _float(params, "lat", -90, 90)
    long = _float(params, "long", -180, 180)
    radius = DEFAULT_RADIUS
    if has[2]:
        try:
            radius = float(params["radius"])
        except ValueError:
            raise bad_request("radius must be a number of metres.") from None
        if not math.isfinite(radius) or radius <= 0 or radius > MAX_RADIUS:
            raise bad_request(
                f"radius must be more than 0 and at most {MAX_RADIUS:.0f} metres."
            )
    return lat, long, radius


def _bbox(params: QueryDict) -> tuple[float, float, float, float] | None:
    if "bbox" not in params:
        return None
    message = (
        "bbox must be left,bottom,right,top in degrees (WGS84), "
        "such as 24.929,60.171,24.946,60.176."
    )
    parts = params["bbox"].split(",")
    if len(parts) != 4:
        raise bad_request(message)
    try:
        left, bottom, right, top = (float(part) for part in parts)
    except ValueError:
        raise bad_request(message) from None
    if not all(math.isfinite(v) for v in (left, bottom, right, top)):
        raise bad_request(message)
    if not (-180 <= left <= right <= 180 and -90 <= bottom <= top <= 90):
        raise bad_request(message)
    return left, bottom, right, top


def _page_size(params: QueryDict) -> int:
    value = params.get("page_size")
    if not value:
        return DEFAULT_PAGE_SIZE
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        raise bad_request(
            f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."
        )
    size = int(value)
    if size < 1:
        raise bad_request(
            f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}."
        )
    # More than the most is read as the most, as the open data API does.
    return min(size, MAX_PAGE_SIZE)
