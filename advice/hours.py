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


def desk_is_open(
    *, city: City | None, language: str, at: datetime | None = None
) -> bool:
    """Whether the desk of `city` (None: any city) answers in `language` at `at`."""
    local = timezone.localtime(at or timezone.now())
    holidays = HolidayException.objects.filter(date=local.date())
    hours = OpeningHours.objects.filter(
        Q(language=language) | Q(language=""), weekday=local.weekday()
    )
    if city is not None:
        holidays = holidays.filter(city=city)
        hours = hours.filter(city=city)
    moment = local.time()
    exceptions = {h.city_id: h for h in holidays}
    for row in hours:
        if row.city_id in exceptions:
            continue  # the exception decides that city's day
        if row.opens <= moment < row.closes:
            return True
    return any(
        h.opens is not None and h.opens <= moment < h.closes
        for h in exceptions.values()
    )
