import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers cost ~0.3 s a password; these tests log in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def kallio(city):
    """A district with a name in each language."""
    from core.models import District

    return District.objects.create(
        city=city, slug="kallio", name_fi="Kallio", name_sv="Berghäll", name_en="Kallio"
    )
