"""When a city's advice desk answers: weekly opening hours and holiday exceptions.

Times are the city's local time (`TIME_ZONE`, Europe/Helsinki). A holiday
exception replaces the weekday's rows for its date: closed all day, or open
between its own times. Rows with an empty language cover every language.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from advice.models import HolidayException, OpeningHours
from core.models import City


def _open_in(rows, holiday, moment, language: str) -> bool:
    if holiday is not None:  # the exception decides that city's day
        return holiday.opens is not None and holiday.opens <= moment < holiday.closes
    return any(
        row.language in ("", language) and row.opens <= moment < row.closes
        for row in rows
    )


def open_city_ids(
    *, language: str, at: datetime | None = None, city: City | None = None
) -> set[int]:
    """The cities whose desk answers in `language` at `at` (two queries however
    many cities there are); `city` narrows it to one."""
    local = timezone.localtime(at or timezone.now())
    holidays = HolidayException.objects.filter(date=local.date())
    hours = OpeningHours.objects.filter(
        Q(language=language) | Q(language=""), weekday=local.weekday()
    )
    if city is not None:
        holidays = holidays.filter(city=city)
        hours = hours.filter(city=city)
    exceptions = {h.city_id: h for h in holidays}
    rows: dict[int, list[OpeningHours]] = {}
    for row in hours:
        rows.setdefault(row.city_id, []).append(row)
    moment = local.time()
    return {
        city_id
        for city_id in rows.keys() | exceptions.keys()
        if _open_in(rows.get(city_id, []), exceptions.get(city_id), moment, language)
    }


def desk_is_open(
    *, city: City | None, language: str, at: datetime | None = None
) -> bool:
    """Whether the desk of `city` (None: any city) answers in `language` at `at`."""
    return bool(open_city_ids(language=language, at=at, city=city))
