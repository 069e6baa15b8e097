import datetime

import factory

from feedback.models import (
    Agency,
    FeedbackItem,
    FeedbackService,
    FeedbackStatusChange,
    FeedbackSupport,
    Kind,
    Status,
    Visibility,
    tracking_token_hash,
)
from feedback.services.common import public_point, search_terms_refresh
from tests.factories import CityFactory, UserFactory


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    city = factory.SubFactory(CityFactory)
    name_fi = factory.Sequence(lambda n: f"Kirjastopalvelut {n}")
    name_sv = factory.Sequence(lambda n: f"Bibliotekstjänster {n}")
    name_en = factory.Sequence(lambda n: f"Library services {n}")


class FeedbackServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackService

    city = factory.SubFactory(CityFactory)
    service_code = factory.Sequence(lambda n: f"library-{n}")
    name_fi = factory.Sequence(lambda n: f"Kirjasto {n}")
    name_sv = factory.Sequence(lambda n: f"Bibliotek {n}")
    name_en = factory.Sequence(lambda n: f"Library {n}")
    description_fi = "Kirjastojen palvelut"
    description_en = "Library services"
    group_fi = "Kulttuuri ja vapaa-aika"
    group_sv = "Kultur och fritid"
    group_en = "Culture and leisure"


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    """A public item written straight to the table (services are tested on their
    own). `token` is the follow-up token whose hash is stored."""

    class Meta:
        model = FeedbackItem
        skip_postgeneration_save = True
        exclude = ("token",)

    service = factory.SubFactory(FeedbackServiceFactory)
    city = factory.SelfAttribute("service.city")
    kind = Kind.COMPLAINT
    title = factory.Sequence(lambda n: f"Kirjaston ovi rikki {n} <script>x</script>")
    description = "Kirjaston ovi ei aukea <b>pyörätuolilla</b>."
    public_title = factory.SelfAttribute("title")
    public_description = factory.SelfAttribute("description")
    language = "fi"
    status = Status.RECEIVED
    visibility = Visibility.PUBLIC
    lat = None
    long = None
    place_confirmed = False
    token = factory.Sequence(lambda n: f"token-{n}-abcdefghijklmnopqrstuvwxyz")
    tracking_token_hash = factory.LazyAttribute(lambda o: tracking_token_hash(o.token))
    public_lat = factory.LazyAttribute(
        lambda o: public_point(o.lat, o.long, confirmed=o.place_confirmed)[0]
    )
    public_long = factory.LazyAttribute(
        lambda o: public_point(o.lat, o.long, confirmed=o.place_confirmed)[1]
    )
    published_at = factory.LazyAttribute(
        lambda o: o.requested_at if o.visibility == Visibility.PUBLIC else None
    )
    requested_at = factory.Faker("date_time_this_year", tzinfo=datetime.UTC)

    @factory.post_generation
    def search_terms(obj, create, extracted, **kwargs):
        if create and extracted is None:
            search_terms_refresh(obj)


class FeedbackStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackStatusChange

    item = factory.SubFactory(FeedbackItemFactory)
    status = Status.ALLOCATED
    note = "Välitetty kirjastopalveluille."


class FeedbackSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackSupport

    item = factory.SubFactory(FeedbackItemFactory)
    user = factory.SubFactory(UserFactory)
