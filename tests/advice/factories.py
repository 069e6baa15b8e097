"""Factories of the advice desk: topics, advisors with their role and languages,
opening hours that cover every hour, chats written straight to the table."""

import datetime

import factory

from accounts.models import Role
from accounts.services import role_grant
from advice.models import (
    AdviceTopic,
    AdvisorLanguage,
    AdvisorProfile,
    AdvisorStatus,
    OpeningHours,
)
from tests.factories import UserFactory


class AdviceTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdviceTopic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_fi = factory.Sequence(lambda n: f"Oleskelulupa {n}")
    name_sv = factory.Sequence(lambda n: f"Uppehållstillstånd {n}")
    name_en = factory.Sequence(lambda n: f"Residence permit {n}")


def advisor(
    city,
    languages=("fi", "en"),
    *,
    status=AdvisorStatus.AVAILABLE,
    max_chats=3,
    name=None,
    user=None,
) -> AdvisorProfile:
    """A user with the advisor role in `city` and a profile with `languages`."""
    user = user or UserFactory()
    role_grant(user=user, city=city, role=Role.ADVISOR)
    profile = AdvisorProfile.objects.create(
        user=user,
        display_name=name or f"Neuvoja {user.pk} <b>",
        status=status,
        max_chats=max_chats,
    )
    for language in languages:
        AdvisorLanguage.objects.create(advisor=profile, language=language)
    return profile


def open_all_week(city, language: str = "") -> None:
    """Opening hours covering every minute of every day (local time)."""
    for weekday in range(7):
        OpeningHours.objects.create(
            city=city,
            language=language,
            weekday=weekday,
            opens=datetime.time(0, 0),
            closes=datetime.time(23, 59, 59, 999999),
        )
