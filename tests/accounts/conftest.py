import pytest


@pytest.fixture
def kallio(city):
    """A district with a name in each language."""
    from core.models import District

    return District.objects.create(
        city=city, slug="kallio", name_fi="Kallio", name_sv="Berghäll", name_en="Kallio"
    )
