"""Factories for accounts' own rows."""

import factory

from accounts.models import BackgroundDetails, Consent, ConsentPurpose
from tests.factories import UserFactory


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    purpose = ConsentPurpose.HOME_DISTRICT


class BackgroundDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackgroundDetails

    user = factory.SubFactory(UserFactory)
    home_district = "Kallio <script>alert(1)</script>"
