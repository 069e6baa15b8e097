"""Translated names of shared rows: the active language's, else Finnish."""

import pytest
from django.utils import translation

from core.models import City, Topic


@pytest.mark.parametrize("model", [City, Topic])
def test_name_follows_the_active_language_and_falls_back_to_finnish(model):
    row = model(slug="x", name_fi="Helsinki", name_sv="Helsingfors", name_en="")
    with translation.override("sv"):
        assert row.name == "Helsingfors"
        assert str(row) == "Helsingfors"
    with translation.override("en"):
        assert row.name == "Helsinki"  # no English name: the Finnish one
    with translation.override("fi"):
        assert row.name == "Helsinki"
    assert model.name.value(row, "sv") == "Helsingfors"
