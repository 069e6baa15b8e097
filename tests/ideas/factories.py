import factory

from core.models import Topic
from ideas.models import Dream, DreamSupport, IdeasCitySettings, TargetGroup
from ideas.services import dream_discussion, dream_search_terms_refresh
from tests.factories import CityFactory, UserFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_fi = factory.Sequence(lambda n: f"Aihe {n}")
    name_sv = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class DreamFactory(factory.django.DjangoModelFactory):
    """A dream written straight to the table (services are tested on their own)."""

    class Meta:
        model = Dream
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Unelma {n} <script>alert(1)</script>")
    description = factory.Sequence(
        lambda n: f"Kuvaus {n}: <b>iltakirjasto</b> <script>alert('x')</script>"
    )
    target_group = TargetGroup.EVERYONE
    what_would_change = "<img src=x onerror=alert(1)> enemmän yhteistä aikaa"
    city = factory.SubFactory(CityFactory)
    language = "fi"
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def search_terms(obj, create, extracted, **kwargs):
        """Its analysed text, as the services write it (`DreamFactory(search_terms=
        "")`: a dream from before the terms were kept)."""
        if create and extracted is None:
            dream_search_terms_refresh(obj)
            if obj.merged_into_id is not None:
                dream_search_terms_refresh(obj.merged_into)

    @factory.post_generation
    def discussion(obj, create, extracted, **kwargs):
        """Every told dream has its thread (`DreamFactory(discussion=False)`: one
        from before threads were made with the dream)."""
        if create and extracted is not False:
            dream_discussion(dream=obj)


class DreamSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DreamSupport

    dream = factory.SubFactory(DreamFactory)
    user = factory.SubFactory(UserFactory)


def allow_anonymous(city) -> IdeasCitySettings:
    settings, _ = IdeasCitySettings.objects.update_or_create(
        city=city, defaults={"allow_anonymous": True}
    )
    return settings
