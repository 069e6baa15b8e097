"""The demo feedback: both cities' agencies and services, about twenty items in
three languages in every status and kind, made through the real services; loading
again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from feedback.demo import demo_tracked_item, demo_tracking_token
from feedback.demo_data import CITY_CENTRE
from feedback.models import (
    Agency,
    FeedbackItem,
    FeedbackService,
    FeedbackStatusChange,
    HeldReason,
    Kind,
    Status,
    Visibility,
)
from feedback.services.intake import item_by_token

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _counts() -> tuple[int, ...]:
    return (
        Agency.objects.count(),
        FeedbackService.objects.count(),
        FeedbackItem.objects.count(),
        FeedbackStatusChange.objects.count(),
    )


def test_both_cities_have_agencies_and_translated_services(demo):
    for prefix in ("hel", "tku"):
        services = FeedbackService.objects.filter(service_code__startswith=prefix)
        assert services.count() == 8
        assert len({s.city_id for s in services}) == 1
        for service in services:
            assert service.name_fi and service.name_sv and service.name_en
            assert service.group_fi and service.group_sv and service.group_en
            assert service.agency is not None
    assert Agency.objects.filter(city__slug="turku").count() == 4


def test_items_in_every_status_kind_and_language(demo):
    items = FeedbackItem.objects.all()
    assert 18 <= items.count() <= 26
    public = FeedbackItem.objects.public()
    assert set(public.values_list("status", flat=True)) == set(Status.values)
    assert set(public.values_list("kind", flat=True)) == set(Kind.values)
    assert set(public.values_list("language", flat=True)) == {"fi", "sv", "en"}
    assert {"helsinki", "turku"} == set(public.values_list("city__slug", flat=True))
    answered = public.exclude(answer="")
    assert answered.count() >= 8
    assert all(item.answered_at >= item.requested_at for item in answered)
    # Handling trails, public notes among them, in time order.
    done = public.filter(status=Status.DONE, merged_into=None).first()
    steps = list(done.history.values_list("status", flat=True))
    assert steps[0] == Status.RECEIVED and steps[-1] == Status.DONE
    swedish = public.filter(language="sv", status=Status.DONE).first()
    notes = swedish.history.exclude(note="").values_list("note", flat=True)
    assert "Skickat till den ansvariga enheten: " in notes[0]
    assert FeedbackStatusChange.objects.filter(internal=True).count() == 1


def test_held_private_redacted_and_merged_items(demo):
    held = FeedbackItem.objects.filter(visibility=Visibility.PENDING)
    assert {item.held_reason for item in held} == {HeldReason.SERVICE}
    assert FeedbackItem.objects.filter(visibility=Visibility.PRIVATE).count() == 1
    redacted = FeedbackItem.objects.get(is_redacted=True)
    assert redacted.is_public and "040 123 4567" in redacted.description
    assert "040" not in redacted.public_description
    duplicate = FeedbackItem.objects.exclude(merged_into=None).get()
    assert duplicate.merged_into.support_count >= 12


def test_points_lie_in_their_city_and_some_places_are_confirmed(demo):
    placed = FeedbackItem.objects.public().exclude(public_lat=None)
    assert placed.count() >= 6
    for item in placed.select_related("city"):
        lat, long = CITY_CENTRE[item.city.slug]
        assert abs(item.public_lat - lat) < 0.05 and abs(item.public_long - long) < 0.1
    assert placed.filter(place_confirmed=True).count() == 2


def test_the_tracked_item_opens_with_the_demo_token(demo, client):
    item = demo_tracked_item()
    assert item is not None and item.is_public and item.answer
    assert item_by_token(demo_tracking_token()) == item
    track = f"/feedback/track/{demo_tracking_token()}/"
    assert track in demo
    page = client.get(track)
    assert page.status_code == 200 and item.answer in page.content.decode()
    assert client.get(item.get_absolute_url()).status_code == 200


def test_the_knowledge_base_lists_the_demo_in_each_language(demo, client):
    for prefix, title in (
        ("", "Kiitos iltasatutuokioista"),
        ("/sv", "Öppettider under sommaren?"),
        ("/en", "Are there women-only swimming hours?"),
    ):
        page = client.get(f"{prefix}/feedback/")
        assert page.status_code == 200
        assert title in page.content.decode()
    hidden = client.get("/feedback/", {"q": "terveydentilastani"}).content.decode()
    assert "Kokemukseni vastaanotolta" not in hidden


def test_loading_again_adds_nothing(demo):
    before = _counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert "feedback: 0 demo items added" in out.getvalue()
    call_command("load_demo", "--if-empty", stdout=StringIO())
    assert _counts() == before
