import pytest

from accounts.selectors import personal_data_export
from ideas.models import DreamSupport
from tests.ideas.factories import DreamFactory

pytestmark = pytest.mark.django_db


def test_export_holds_their_dreams_and_supports(city, resident, other_resident):
    mine = DreamFactory(city=city, author=resident, title="Oma unelma")
    DreamFactory(city=city, author=other_resident, title="Toisen unelma")
    supported = DreamFactory(city=city, title="Tuettu unelma")
    DreamSupport.objects.create(dream=supported, user=resident)
    DreamSupport.objects.create(dream=mine, user=other_resident)

    data = personal_data_export(resident)["ideas"]

    assert [d["title"] for d in data["dreams"]] == ["Oma unelma"]
    assert data["dreams"][0]["address"] == mine.get_absolute_url()
    assert data["dreams"][0]["city"] == city.slug
    assert [s["dream"] for s in data["supports"]] == [supported.pk]
    assert "Toisen unelma" not in str(data)
