"""A city with population figures and districts, and a panel mirroring it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.models import District, PopulationFigure
from tests.factories import UserFactory
from workshops.panels import services


@pytest.fixture
def districts(city):
    return make_districts(city)


def make_districts(city):
    return [
        District.objects.create(city=city, slug=slug, name_fi=slug.title())
        for slug in ("kallio", "vuosaari")
    ]


@pytest.fixture
def figures(city, districts):
    make_figures(city, districts)


def make_figures(city, districts):
    rows = [
        ("age_band", "18_29", 200),
        ("age_band", "30_44", 300),
        ("age_band", "45_64", 300),
        ("age_band", "65_74", 200),
        ("gender", "female", 500),
        ("gender", "male", 500),
        # An older year that must not count.
        ("gender", "female", 900),
    ]
    for index, (dimension, group, count) in enumerate(rows):
        PopulationFigure.objects.create(
            city=city,
            year=2020 if index == len(rows) - 1 else 2025,
            dimension=dimension,
            group=group,
            count=count,
        )
    for district, count in zip(districts, (600, 400), strict=True):
        PopulationFigure.objects.create(
            city=city, district=district, year=2025, dimension="total", count=count
        )


@pytest.fixture
def panel(facilitator, city, figures):
    return make_panel(facilitator, city)


def make_panel(facilitator, city):
    return services.panel_create(
        user=facilitator,
        city=city,
        theme="Kirjastoraati <script>alert(1)</script>",
        description="Kirjastot & <b>me</b>",
        size=4,
        term_starts_on=date(2027, 1, 1),
        term_ends_on=date(2027, 12, 31),
        applications_close_at=timezone.now() + timedelta(days=7),
        criteria=["age_band", "gender", "district"],
        languages=["fi", "sv"],
        accessibility="Esteetön sisäänkäynti",
        interpretation="Viittomakieli pyydettäessä",
    )


def apply(panel, answers, **kwargs):
    """A new person applies with `answers`; returns the application."""
    user = kwargs.pop("user", None) or UserFactory()
    return services.panel_apply(
        user=user, panel=panel, answers=answers, availability=[], consent=True
    )


def close(panel):
    from workshops.panels.models import Panel

    Panel.objects.filter(pk=panel.pk).update(
        applications_close_at=timezone.now() - timedelta(seconds=1)
    )
    panel.refresh_from_db()
    return panel
