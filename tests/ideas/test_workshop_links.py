"""The dream page links to the workshops a dream went into.

Ideas does not import workshops: the workshops app registers a resolver that turns
`DreamLink.workshop_id` into the workshop's title and address."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ideas import selectors
from ideas.services import dream_link_add
from tests.ideas.factories import DreamFactory
from workshops import services as workshop_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def make_workshop(facilitator, city, title):
    return workshop_services.workshop_create(
        user=facilitator, city=city, title=title, starts_at=timezone.now()
    )


def test_dream_page_links_each_workshop_with_fixed_queries(
    client, city, facilitator, django_assert_max_num_queries
):
    dream = DreamFactory(city=city)
    open_one = make_workshop(facilitator, city, "Avoin <script>x</script>paja")
    dream_link_add(dream=dream, by=facilitator, workshop_id=open_one.pk, label="Old")
    with django_assert_max_num_queries(17) as few:
        body = client.get(dream.get_absolute_url()).content.decode()
    assert "Avoin &lt;script&gt;x&lt;/script&gt;paja" in body
    assert "<script>x" not in body
    assert reverse("workshops:detail", args=[open_one.pk]) in body
    assert ">Old<" not in body  # the current title, not the label of the time
    for n in range(3):
        other = make_workshop(facilitator, city, f"Paja {n}")
        workshop_services.workshop_close(user=facilitator, workshop=other)
        workshop_services.workshop_publish(user=facilitator, workshop=other)
        dream_link_add(dream=dream, by=facilitator, workshop_id=other.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(dream.get_absolute_url()).content.decode()
    # Published results are where the public reads what became of the dream.
    assert reverse("workshops:results", args=[other.pk]) in body


def test_without_a_resolver_or_workshop_the_label_stands(
    client, city, facilitator, monkeypatch
):
    dream = DreamFactory(city=city)
    dream_link_add(dream=dream, by=facilitator, workshop_id=987654, label="Kevätjami")
    body = client.get(dream.get_absolute_url()).content.decode()
    assert "Kevätjami" in body  # that workshop no longer exists
    workshop = make_workshop(facilitator, city, "Syysjami")
    dream_link_add(dream=dream, by=facilitator, workshop_id=workshop.pk, label="Syys")
    monkeypatch.setattr(selectors, "_workshop_resolver", None)
    body = client.get(dream.get_absolute_url()).content.decode()
    assert "Syys" in body and "Syysjami" not in body
    assert reverse("workshops:detail", args=[workshop.pk]) not in body
    assert selectors.workshop_refs([workshop.pk]) == {}
