import io

import pytest

from accounts import demo
from accounts.models import BackgroundDetails, Consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(city):
    resident = UserFactory()
    for _ in range(2):
        demo.load(
            cities={"helsinki": city},
            city_pages={},
            users={"resident": resident},
            stdout=io.StringIO(),
        )
    background = BackgroundDetails.objects.get(user=resident)
    assert background.home_district.name_sv == "Berghäll"
    assert background.age_band == "30_44"
    assert Consent.objects.filter(user=resident).count() == 2
