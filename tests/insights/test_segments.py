"""Segments and "who is missing": consent per field, coverage, the unknown row,
suppression (primary and secondary) and the fixed periods."""

from datetime import date

import pytest
from django.utils import timezone

from core.errors import Invalid
from insights.metrics import Scope, segments, who_is_missing

pytestmark = pytest.mark.django_db
NOV = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}


@pytest.fixture
def described(crowd, world):
    """U1, U2 and three of the crowd are 18–29, two of the crowd 45–64, all
    consenting; U3 gave 30–44 and withdrew the consent (detail still there)."""
    from accounts.models import BackgroundDetails, Consent

    u1, u2, u3 = world.users
    ages = [(u1, "18_29"), (u2, "18_29"), (u3, "30_44")]
    ages += [(p, "18_29") for p in crowd[:3]] + [(p, "45_64") for p in crowd[3:]]
    for person, band in ages:
        BackgroundDetails.objects.create(user=person, age_band=band)
        Consent.objects.create(
            user=person,
            purpose="age_band",
            withdrawn_at=timezone.now() if person == u3 else None,
        )
    return ages


def _people(table):
    return {
        key: (None if cell.suppressed else cell.value)
        for key, (cell, _share) in zip(table.row_keys, table.cells, strict=True)
    }


def test_age_bands_with_consent_coverage_and_suppression(
    described, world, django_assert_num_queries
):
    with django_assert_num_queries(2):
        table = segments(Scope(world.city, **NOV), "age_band")
    # 7 of the 12 participants described themselves; U3's withdrawn consent
    # makes them unknown. 45–64 (2) is hidden, and so 18–29 (5) with it: the
    # coverage's 7 minus 5 would give the 2.
    assert table.coverage.described == 7 and table.coverage.participants == 12
    assert _people(table) == {
        "under_18": 0,
        "18_29": None,
        "30_44": 0,
        "45_64": None,
        "65_74": 0,
        "75_up": 0,
        "unknown": 5,
    }
    assert table.cell("18_29", "share").suppressed
    assert table.cell("unknown", "share").value == round(100 * 5 / 12, 1)


def test_a_withdrawn_consent_leaves_the_next_table(described, world):
    from accounts.models import Consent

    Consent.objects.filter(user=world.users[0]).update(withdrawn_at=timezone.now())
    table = segments(Scope(world.city, **NOV), "age_band")
    assert table.coverage.described == 6


def test_too_few_people_show_nothing(described, world):
    table = segments(Scope(world.city, workshop=world.workshop.pk), "age_band")
    assert table.coverage is None
    assert all(cell.suppressed for row in table.cells for cell in row)


def test_home_district(described, world, django_assert_num_queries):
    from accounts.models import BackgroundDetails, Consent

    for person in world.users:
        BackgroundDetails.objects.filter(user=person).update(home_district=world.kallio)
        Consent.objects.create(user=person, purpose="home_district")
    with django_assert_num_queries(3):
        table = segments(Scope(world.city, **NOV), "home_district")
    assert table.row_keys[-2:] == ["elsewhere", "unknown"]
    # Three described: under five, so not even the coverage is shown.
    assert table.coverage is None
    assert all(cell.suppressed for row in table.cells for cell in row)


@pytest.mark.parametrize(
    ("start", "end", "allowed"),
    [
        (date(2026, 10, 1), date(2026, 12, 31), True),
        (date(2026, 1, 1), date(2026, 12, 31), True),
        (date(2026, 11, 1), date(2026, 12, 31), False),
        (date(2026, 2, 1), date(2026, 4, 30), False),
    ],
)
def test_only_fixed_periods(world, start, end, allowed):
    scope = Scope(world.city, start=start, end=end)
    if allowed:
        segments(scope, "gender")
    else:
        with pytest.raises(Invalid):
            segments(scope, "gender")


def test_who_is_missing(described, world, django_assert_num_queries):
    from core.models import PopulationFigure

    for group, count in {
        "under_18": 200,
        "18_29": 300,
        "30_44": 250,
        "45_64": 150,
        "65_74": 60,
        "75_up": 40,
    }.items():
        PopulationFigure.objects.create(
            city=world.city, year=2024, dimension="age_band", group=group, count=count
        )
    with django_assert_num_queries(3):
        table = who_is_missing(Scope(world.city, **NOV), "age_band")
    assert "unknown" not in table.row_keys
    assert table.cell("18_29", "population_share").value == 30.0
    assert table.cell("18_29", "share").suppressed
    assert table.cell("18_29", "difference").suppressed
    assert table.cell("30_44", "share").value == 0.0
    assert table.cell("30_44", "difference").value == -25.0
    assert table.coverage.described == 7
