import io

import pytest

from accounts import demo
from accounts.models import BackgroundDetails, Consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent():
    resident = UserFactory()
    for _ in range(2):
        demo.load(
            cities={}, city_pages={}, users={"resident": resident}, stdout=io.StringIO()
        )
    assert BackgroundDetails.objects.get(user=resident).home_district == "Kallio"
    assert Consent.objects.filter(user=resident).count() == 1
