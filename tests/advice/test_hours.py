"""When the desk answers: weekly hours per language, holiday exceptions (local time)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from advice.hours import desk_is_open
from advice.models import HolidayException, OpeningHours

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY_10 = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=HELSINKI)


@pytest.fixture
def hours(city):
    OpeningHours.objects.create(
        city=city,
        language="",
        weekday=0,
        opens=datetime.time(9),
        closes=datetime.time(12),
    )
    OpeningHours.objects.create(
        city=city,
        language="ru",
        weekday=0,
        opens=datetime.time(13),
        closes=datetime.time(15),
    )
    return city


def test_weekly_hours_per_language(hours):
    assert desk_is_open(city=hours, language="fi", at=MONDAY_10)
    assert not desk_is_open(city=hours, language="fi", at=MONDAY_10.replace(hour=12))
    assert desk_is_open(city=hours, language="ru", at=MONDAY_10.replace(hour=14))
    assert not desk_is_open(city=hours, language="fi", at=MONDAY_10.replace(hour=14))
    assert not desk_is_open(
        city=hours, language="fi", at=MONDAY_10 + datetime.timedelta(days=1)
    )


def test_local_time_decides_not_utc(hours):
    # 08:30 UTC is 10:30 in Helsinki in December.
    at = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=datetime.UTC)
    assert desk_is_open(city=hours, language="fi", at=at)


def test_a_holiday_closes_or_changes_the_day(hours, other_city):
    HolidayException.objects.create(
        city=hours, date=MONDAY_10.date(), name="Itsenäisyyspäivä"
    )
    assert not desk_is_open(city=hours, language="fi", at=MONDAY_10)
    HolidayException.objects.filter(city=hours).update(
        opens=datetime.time(16), closes=datetime.time(18)
    )
    assert desk_is_open(city=hours, language="fi", at=MONDAY_10.replace(hour=17))
    assert not desk_is_open(city=hours, language="fi", at=MONDAY_10)


def test_any_city_is_open_when_some_city_is(hours, other_city):
    assert desk_is_open(city=None, language="fi", at=MONDAY_10)
    assert not desk_is_open(city=other_city, language="fi", at=MONDAY_10)
