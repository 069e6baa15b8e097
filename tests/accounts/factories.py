"""Factories for accounts' own rows (and the districts their details point to)."""

import factory

from accounts.models import BackgroundDetails, Consent, ConsentPurpose
from core.models import District
from tests.factories import CityFactory, UserFactory


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    city = factory.SubFactory(CityFactory)
    slug = factory.Sequence(lambda n: f"district-{n}")
    # Markup on purpose: names are escaped wherever they are shown.
    name_fi = factory.Sequence(lambda n: f"Kallio {n} <script>alert(1)</script>")
    name_sv = factory.Sequence(lambda n: f"Berghäll {n}")
    name_en = factory.Sequence(lambda n: f"Kallio {n}")


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    purpose = ConsentPurpose.HOME_DISTRICT


class BackgroundDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BackgroundDetails

    user = factory.SubFactory(UserFactory)
    home_district = factory.SubFactory(DistrictFactory)
