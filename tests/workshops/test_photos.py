"""Flipchart photos of a board (`workshops.services.photos`): checked by
decoding, metadata stripped, random names, private until published."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from core.errors import Forbidden, Invalid
from core.images import PHOTO_MAX_BYTES
from tests.factories import UserFactory
from workshops import services
from workshops.models import BoardPhoto
from workshops.services.photos import BOARD_PHOTOS_MAX, FLIPCHART_MAX_SIDE

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def flipchart_jpeg(size=(80, 60)) -> bytes:
    """A JPEG with a GPS position, a camera make and a comment, as phones write."""
    image = Image.new("RGB", size, "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (60.0, 10.0, 12.5), 3: "E"})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"Maija's phone")
    return buffer.getvalue()


def upload(data: bytes, name="IMG_2041 Maija.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def add(facilitator, board, data=None, **kwargs):
    return services.board_photo_add(
        user=facilitator,
        board=board,
        upload=upload(data if data is not None else flipchart_jpeg()),
        **kwargs,
    )


def served(client: Client, photo: BoardPhoto) -> int:
    return client.get(photo.image.url).status_code


def test_photo_is_re_encoded_without_metadata_under_a_random_name(
    facilitator, board, media_root
):
    photo = add(facilitator, board, caption="  Flipchart <b>1</b> ")
    assert photo.caption == "Flipchart <b>1</b>"
    assert photo.image.name.startswith("workshops/photos/")
    assert "Maija" not in photo.image.name and "IMG" not in photo.image.name
    assert photo.image.name.endswith(".jpg")
    stored = (media_root / photo.image.name).read_bytes()
    for secret in (b"Exif", b"PhoneMaker", b"Maija"):
        assert secret not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert (photo.width, photo.height) == (80, 60)
    assert photo.published_at is None


def test_big_photo_is_scaled_to_a_legible_size(facilitator, board):
    photo = add(facilitator, board, flipchart_jpeg(size=(4800, 3600)))
    assert (photo.width, photo.height) == (FLIPCHART_MAX_SIDE, 2400)


def test_a_file_that_is_not_an_image_is_refused(facilitator, board, media_root):
    with pytest.raises(Invalid) as caught:
        add(facilitator, board, b"%PDF-1.4 not a photo" * 20)
    assert caught.value.code == "photo_type"
    assert "photo" in caught.value.message_dict
    assert not BoardPhoto.objects.exists()
    assert not (media_root / "workshops").exists()


def test_a_too_big_file_is_refused(facilitator, board):
    with pytest.raises(Invalid) as caught:
        add(facilitator, board, b"\xff\xd8\xff" + b"0" * PHOTO_MAX_BYTES)
    assert caught.value.code == "photo_too_big"
    assert not BoardPhoto.objects.exists()


def test_too_long_caption_and_too_many_photos_are_refused(facilitator, board):
    with pytest.raises(Invalid) as caught:
        add(facilitator, board, caption="c" * 201)
    assert caught.value.code == "too_long"
    BoardPhoto.objects.bulk_create(
        BoardPhoto(board=board, image=f"workshops/photos/x{n}.jpg", width=1, height=1)
        for n in range(BOARD_PHOTOS_MAX)
    )
    with pytest.raises(Invalid) as caught:
        add(facilitator, board)
    assert caught.value.code == "too_many"


def test_only_facilitators_add_publish_or_remove(workshop, board, facilitator, alice):
    stranger = UserFactory()
    with pytest.raises(Forbidden):
        add(stranger, board)
    photo = add(facilitator, board)
    with pytest.raises(Forbidden):
        services.board_photo_publish(user=stranger, photo=photo, published=True)
    with pytest.raises(Forbidden):
        services.board_photo_remove(user=stranger, photo=photo)
    photo.refresh_from_db()
    assert photo.published_at is None


def test_private_to_facilitators_until_published(
    client, facilitator, workshop, board, alice
):
    photo = add(facilitator, board)
    assert served(client, photo) == 404  # as if it did not exist
    participant = Client()
    participant.force_login(UserFactory())
    assert served(participant, photo) == 404
    fac = Client()
    fac.force_login(facilitator)
    response = fac.get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    services.board_photo_publish(user=facilitator, photo=photo, published=True)
    assert served(client, photo) == 200
    services.board_photo_publish(user=facilitator, photo=photo, published=False)
    assert served(client, photo) == 404


def test_removed_photo_and_its_file_are_gone(
    facilitator, board, media_root, django_capture_on_commit_callbacks
):
    photo = add(facilitator, board)
    path = media_root / photo.image.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.board_photo_remove(user=facilitator, photo=photo)
    assert not BoardPhoto.objects.exists()
    assert not path.exists()


# --- The pages


@pytest.fixture
def fac_client(facilitator):
    client = Client()
    client.force_login(facilitator)
    return client


def test_photo_page_uploads_lists_publishes_and_removes(
    fac_client, client, workshop, board
):
    url = reverse("workshops:board_photos", args=[workshop.pk, board.pk])
    response = fac_client.post(
        url, {"photo": upload(flipchart_jpeg()), "caption": "Wall <script>"}
    )
    assert response.status_code == 302
    photo = BoardPhoto.objects.get()
    page = fac_client.get(url)
    assert photo.image.url.encode() in page.content
    assert b"Wall &lt;script&gt;" in page.content
    change = reverse("workshops:board_photo_change", args=[workshop.pk, photo.pk])
    fac_client.post(change, {"action": "publish"})
    photo.refresh_from_db()
    assert photo.is_published
    fac_client.post(change, {"action": "unpublish"})
    photo.refresh_from_db()
    assert not photo.is_published
    fac_client.post(change, {"action": "remove"})
    assert not BoardPhoto.objects.exists()
    # Not a facilitator: refused, page and changes alike.
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(change, {"action": "remove"}).status_code == 403


def test_photo_page_shows_a_bad_upload_as_a_form_error(fac_client, workshop, board):
    url = reverse("workshops:board_photos", args=[workshop.pk, board.pk])
    response = fac_client.post(
        url, {"photo": upload(b"hello", name="notes.txt", content_type="text/plain")}
    )
    assert response.status_code == 400
    assert b"notes.txt is not a photo we can take" in response.content
    assert not BoardPhoto.objects.exists()
    assert fac_client.post(url, {"caption": "no file"}).status_code == 400


def test_published_photos_show_with_the_results(
    fac_client, client, facilitator, workshop, board
):
    hidden = add(facilitator, board, caption="Not yet")
    shown = add(facilitator, board, caption="The ideas wall")
    services.board_photo_publish(user=facilitator, photo=shown, published=True)
    services.workshop_close(user=facilitator, workshop=workshop)
    services.workshop_publish(user=facilitator, workshop=workshop)
    page = client.get(reverse("workshops:results", args=[workshop.pk]))
    assert shown.image.url.encode() in page.content
    assert b'alt="The ideas wall"' in page.content
    assert hidden.image.url.encode() not in page.content


def test_photo_list_and_results_run_a_fixed_number_of_queries(
    fac_client, facilitator, workshop, board, django_assert_max_num_queries
):
    BoardPhoto.objects.bulk_create(
        BoardPhoto(
            board=board,
            image=f"workshops/photos/x{n}.jpg",
            width=4,
            height=3,
            published_at=workshop.starts_at,
        )
        for n in range(12)
    )
    url = reverse("workshops:board_photos", args=[workshop.pk, board.pk])
    # +1: the header's unread notifications.
    with django_assert_max_num_queries(11):
        page = fac_client.get(url)
    assert page.content.count(b'class="photo-list"') == 1
    assert page.content.count(b"workshops/photos/x") == 12
    services.workshop_close(user=facilitator, workshop=workshop)
    with django_assert_max_num_queries(15):  # +1: the header's unread count
        page = fac_client.get(reverse("workshops:results", args=[workshop.pk]))
    assert page.content.count(b"workshops/photos/x") == 12
