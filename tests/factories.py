"""Factories shared by every app's tests. Text fields carry markup on purpose
(`<script>` and friends) wherever a person could type, so sanitising is exercised."""

import factory
from django.contrib.auth import get_user_model

from core.models import City


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"city-{n}")
    name_fi = factory.Sequence(lambda n: f"Kaupunki {n}")
    name_sv = factory.Sequence(lambda n: f"Stad {n}")
    name_en = factory.Sequence(lambda n: f"City {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    preferred_language = "fi"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
