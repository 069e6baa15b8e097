"""The personal-data guard of the knowledge base: a redacted original, contact
details, an internal note and an unapproved photo never reach the list, the item
page or search results."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback.models import FeedbackPhoto
from tests.feedback.factories import FeedbackItemFactory, FeedbackStatusChangeFactory

pytestmark = pytest.mark.django_db

SECRETS = [
    "Salaiskirjasto",  # the redacted original title
    "Sairauskertomus",  # the redacted original description
    "131052-308T",  # an identity code in the original
    "hiljainen@example.org",  # contact details
    "Hiljainen",
    "Henkilö",
    "0401234567",
    "Sisäinenmuistio",  # an internal note
]


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("kuva.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def guarded(service):
    item = FeedbackItemFactory(
        service=service,
        title="Salaiskirjasto 131052-308T",
        description="Sairauskertomus: kirjaston lattia liukas 131052-308T",
        public_title="Kirjaston lattia liukas",
        public_description="Kirjaston lattia on liukas.",
        is_redacted=True,
        email="hiljainen@example.org",
        first_name="Henkilö",
        last_name="Hiljainen",
        phone="0401234567",
        address="Kotikatu 5 A 1",
        lat=60.1712345,
        long=24.9412345,
    )
    FeedbackStatusChangeFactory(item=item, note="Sisäinenmuistio", internal=True)
    FeedbackStatusChangeFactory(item=item, note="Julkinen tila")
    photo = FeedbackPhoto.objects.create(item=item, image=_png(), approved=False)
    return item, photo


def _assert_clean(body: str, photo: FeedbackPhoto) -> None:
    for secret in SECRETS:
        assert secret not in body, secret
    assert "Kotikatu" not in body
    assert "60.1712345" not in body and "24.9412345" not in body
    assert photo.image.name.rsplit("/", 1)[-1] not in body


def test_list_shows_nothing_private(client, guarded):
    item, photo = guarded
    body = client.get("/feedback/").content.decode()
    assert "Kirjaston lattia liukas" in body
    _assert_clean(body, photo)


def test_item_page_shows_nothing_private(client, guarded):
    item, photo = guarded
    body = client.get(item.get_absolute_url()).content.decode()
    assert "Kirjaston lattia on liukas." in body and "Julkinen tila" in body
    _assert_clean(body, photo)


@pytest.mark.parametrize(
    "q", ["Salaiskirjasto", "sairauskertomus", "hiljainen", "Sisäinenmuistio"]
)
def test_search_never_finds_private_words(client, guarded, q):
    item, photo = guarded
    response = client.get("/feedback/", {"q": q})
    assert response.context["items"] == []
    _assert_clean(response.content.decode().replace(q, ""), photo)


def test_search_finds_the_public_words(client, guarded):
    item, photo = guarded
    response = client.get("/feedback/", {"q": "lattialla"})
    assert [i.pk for i in response.context["items"]] == [item.pk]
    _assert_clean(response.content.decode(), photo)


def test_only_the_approved_photo_is_shown(client, guarded):
    from django.urls import reverse

    item, unapproved = guarded
    approved = FeedbackPhoto.objects.create(item=item, image=_png(), approved=True)
    body = client.get(item.get_absolute_url()).content.decode()
    name = approved.image.name.rsplit("/", 1)[-1]
    assert reverse("feedback:photo", kwargs={"name": name}) in body
    _assert_clean(body, unapproved)
