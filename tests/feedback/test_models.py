import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.models import FeedbackItem, Visibility
from feedback.services.common import public_point
from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory

pytestmark = pytest.mark.django_db


def test_only_public_unwithdrawn_items_are_public(service):
    shown = FeedbackItemFactory(service=service)
    FeedbackItemFactory(service=service, visibility=Visibility.PENDING)
    FeedbackItemFactory(service=service, visibility=Visibility.PRIVATE)
    FeedbackItemFactory(service=service, withdrawn_at=timezone.now())
    assert list(FeedbackItem.objects.public()) == [shown]


def test_a_point_is_whole_and_on_the_globe(service):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackItemFactory(service=service, lat=60.17, long=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackItemFactory(service=service, lat=91.0, long=24.9)


def test_the_published_point_is_coarse_unless_confirmed():
    assert public_point(60.171234, 24.941234, confirmed=False) == (60.171, 24.941)
    assert public_point(60.171234, 24.941234, confirmed=True) == (60.171234, 24.941234)
    assert public_point(None, None, confirmed=False) == (None, None)


def test_service_codes_are_unique_across_cities(service):
    with pytest.raises(IntegrityError):
        FeedbackServiceFactory(service_code=service.service_code)


def test_search_reads_the_public_text_only(service):
    item = FeedbackItemFactory(
        service=service,
        title="Salainen henkilötunnus",
        public_title="Kirjaston ovi",
        description="Salaisuus",
        public_description="Ovi rikki",
    )
    assert "kirjasto" in item.search_terms
    assert "salai" not in item.search_terms
