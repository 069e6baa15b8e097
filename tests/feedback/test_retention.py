"""Contact details of closed feedback go after the city's retention period."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.jobs import registered_jobs
from feedback.models import FeedbackCitySettings, FeedbackItem, Status
from feedback.services.retention import contacts_purge
from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory

pytestmark = pytest.mark.django_db

CONTACT = {
    "email": "s@example.org",
    "first_name": "Sanni",
    "last_name": "Sallinen",
    "phone": "040 123 4567",
}


def _closed(service, days_ago, **kwargs):
    return FeedbackItemFactory(
        service=service,
        status=Status.DONE,
        closed_at=timezone.now() - timedelta(days=days_ago),
        **{**CONTACT, **kwargs},
    )


def test_purges_only_items_closed_longer_than_the_city_keeps(city, other_city):
    FeedbackCitySettings.objects.create(city=city, contact_retention_days=30)
    service = FeedbackServiceFactory(city=city)
    old = _closed(service, 31)
    recent = _closed(service, 29)
    still_open = FeedbackItemFactory(service=service, **CONTACT)
    # The other city keeps the default period (a year).
    elsewhere = _closed(FeedbackServiceFactory(city=other_city), 100)

    assert contacts_purge() == 1

    old.refresh_from_db()
    assert (old.email, old.first_name, old.last_name, old.phone) == ("", "", "", "")
    assert old.contact_purged_at is not None
    assert not old.has_contact
    # The feedback itself stays.
    assert old.title and old.description
    for kept in (recent, still_open, elsewhere):
        kept.refresh_from_db()
        assert kept.email == "s@example.org" and kept.contact_purged_at is None


def test_purge_again_changes_nothing(city):
    service = FeedbackServiceFactory(city=city)
    item = _closed(service, 400)
    assert contacts_purge() == 1
    first = FeedbackItem.objects.get(pk=item.pk).contact_purged_at
    assert contacts_purge() == 0
    assert FeedbackItem.objects.get(pk=item.pk).contact_purged_at == first


def test_the_command_and_the_job(city):
    item = _closed(FeedbackServiceFactory(city=city), 400)
    call_command("purge_feedback_contacts", verbosity=0)
    item.refresh_from_db()
    assert item.email == ""
    job = registered_jobs()["purge_feedback_contacts"]
    assert job.command == "purge_feedback_contacts"


def test_withdrawn_feedback_loses_its_contact_details_after_the_period(city):
    FeedbackCitySettings.objects.create(city=city, contact_retention_days=30)
    service = FeedbackServiceFactory(city=city)
    withdrawn = FeedbackItemFactory(
        service=service, withdrawn_at=timezone.now() - timedelta(days=31), **CONTACT
    )
    lately = FeedbackItemFactory(
        service=service, withdrawn_at=timezone.now() - timedelta(days=2), **CONTACT
    )
    assert contacts_purge() == 1
    withdrawn.refresh_from_db()
    lately.refresh_from_db()
    assert (withdrawn.email, withdrawn.phone) == ("", "")
    assert lately.email == CONTACT["email"]
