import pytest
from wagtail.models import Locale

from participation.services import service_discussions_sync
from tests.participation.factories import make_service

pytestmark = pytest.mark.django_db


def test_translations_share_the_discussions(city_page):
    service = make_service(city_page)
    swedish = Locale.objects.get_or_create(language_code="sv")[0]
    city_page.copy_for_translation(swedish, copy_parents=True)
    copy = service.copy_for_translation(swedish)
    copy.save_revision().publish()
    original = service_discussions_sync(page=service)
    translated = service_discussions_sync(page=copy)
    assert {d.pk for d in original.values()} == {d.pk for d in translated.values()}
