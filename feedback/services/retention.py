"""Deleting the contact details of closed feedback once the city's retention
period has passed (`FeedbackCitySettings.contact_retention_days`)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import City
from feedback.models import DEFAULT_CONTACT_RETENTION_DAYS, FeedbackItem

CONTACT_FIELDS = ("email", "first_name", "last_name", "phone")


def _has_contact() -> Q:
    return ~Q(email="") | ~Q(first_name="") | ~Q(last_name="") | ~Q(phone="")


@transaction.atomic
def contacts_purge(*, now: datetime.datetime | None = None) -> int:
    """Blank the contact details of items closed longer ago than their city keeps
    them; returns how many items lost theirs. Safe to run again at any time."""
    now = now or timezone.now()
    purged = 0
    cities = (
        City.objects.select_related("feedback_settings")
        .filter(feedback_items__isnull=False)
        .distinct()
    )
    for city in cities:
        settings_ = getattr(city, "feedback_settings", None)
        days = (
            settings_.contact_retention_days
            if settings_ is not None
            else DEFAULT_CONTACT_RETENTION_DAYS
        )
        purged += (
            FeedbackItem.objects.filter(
                # Closed, or withdrawn by the sender: the case is over either way.
                Q(closed_at__lte=now - timedelta(days=days))
                | Q(withdrawn_at__lte=now - timedelta(days=days)),
                city=city,
            )
            .filter(_has_contact())
            .update(**dict.fromkeys(CONTACT_FIELDS, ""), contact_purged_at=now)
        )
    return purged
