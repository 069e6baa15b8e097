"""Every `<time datetime>` holds a valid HTML date and time (the Nu checker found
25 with Django's six-digit `|date:'c'` fractions)."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from django.template import Context, Template
from django.test import override_settings

from core.templatetags.machine_time import machine_time

ROOT = Path(__file__).resolve().parents[2]
# HTML's "valid global date and time string", as the Nu checker reads it.
VALID = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?([+-]\d{2}:\d{2}|Z)$"
)


@override_settings(TIME_ZONE="Europe/Helsinki")
def test_an_aware_time_is_written_in_local_time_to_the_second():
    value = datetime(2026, 12, 2, 12, 5, 9, 123456, tzinfo=UTC)
    assert machine_time(value) == "2026-12-02T14:05:09+02:00"
    assert VALID.match(machine_time(value))


def test_dates_and_nothing():
    assert machine_time(date(2026, 12, 2)) == "2026-12-02"
    assert machine_time(None) == ""
    assert machine_time("not a date") == ""


def test_the_filter_renders_in_a_template():
    html = Template(
        "{% load machine_time %}<time datetime='{{ t|machine_time }}'>"
    ).render(Context({"t": datetime(2026, 1, 2, 3, 4, 5, 999999, tzinfo=UTC)}))
    assert "999999" not in html and re.search(r"datetime='[^']+'", html)


def test_no_template_writes_microseconds_into_a_datetime_attribute():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "|date:'c'" in path.read_text()
    ]
    assert offenders == []
