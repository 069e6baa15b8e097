"""Photo checks, re-encoding and serving by visibility (`feedback.photos`)."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.actors import Actor
from core.errors import Invalid
from feedback.models import FeedbackItem, Visibility
from feedback.photos import (
    PHOTO_MAX_BYTES,
    PHOTOS_MAX_COUNT,
    photo_clean,
    photo_name,
    photos_clean,
)
from feedback.services.intake import feedback_submit

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def image_bytes(fmt="JPEG", size=(60, 40), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    colour = 200 if mode == "L" else (200, 10, 10)
    Image.new(mode, size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def with_gps_and_orientation() -> bytes:
    image = Image.new("RGB", (60, 40), "blue")
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # rotated 90° clockwise: the photo is really 40 × 60
    exif[0x010F] = "PhoneMaker"  # camera make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (60.0, 10.0, 12.5), 3: "E"})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
)
def test_jpeg_png_and_webp_pass_and_are_re_encoded(fmt, extension):
    data = image_bytes(fmt)
    clean = photo_clean(upload(data, name="whatever.bin"))
    assert clean.extension == extension
    assert (clean.width, clean.height) == (60, 40)
    assert Image.open(io.BytesIO(clean.content)).format == fmt


def test_big_photo_is_scaled_down():
    clean = photo_clean(upload(image_bytes("JPEG", size=(4000, 3000))))
    assert (clean.width, clean.height) == (2560, 1920)


def test_format_is_decided_by_decoding_not_by_name():
    clean = photo_clean(upload(image_bytes("PNG"), name="holiday.jpg"))
    assert clean.extension == "png"


def test_exif_gps_and_camera_are_stripped_and_orientation_applied():
    source = with_gps_and_orientation()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)
    clean = photo_clean(upload(source))
    result = Image.open(io.BytesIO(clean.content))
    assert result.size == (40, 60)
    assert not result.getexif()
    assert b"Exif" not in clean.content
    assert b"PhoneMaker" not in clean.content


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "home address: Secret street 5")
    clean = photo_clean(upload(image_bytes("PNG", pnginfo=info), name="a.png"))
    assert b"Secret street" not in clean.content


def test_ten_megabyte_file_is_refused():
    data = b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(Invalid) as caught:
        photo_clean(upload(data))
    assert caught.value.code == "photo_too_big"
    assert "8 M" in caught.value.messages[0]  # MB, Mt


def test_file_bigger_than_it_says_is_refused():
    big = upload(b"0" * (PHOTO_MAX_BYTES + 10))
    big.size = 100  # a client that lies about the size
    with pytest.raises(Invalid) as caught:
        photo_clean(big)
    assert caught.value.code == "photo_too_big"


def test_text_file_named_jpg_is_refused():
    with pytest.raises(Invalid) as caught:
        photo_clean(upload(b"hello, I am text\n" * 50, name="door.jpg"))
    assert caught.value.code == "photo_type"
    assert "door.jpg" in caught.value.messages[0]


def test_svg_with_a_script_is_refused():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )
    with pytest.raises(Invalid) as caught:
        photo_clean(upload(svg, name="door.svg", content_type="image/svg+xml"))
    assert caught.value.code == "photo_type"


def test_gif_is_refused():
    with pytest.raises(Invalid) as caught:
        photo_clean(upload(image_bytes("GIF", mode="P"), name="a.gif"))
    assert caught.value.code == "photo_type"


def test_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", size=(400, 300))
    with pytest.raises(Invalid) as caught:
        photo_clean(upload(data[: len(data) // 2]))
    assert caught.value.code == "photo_type"


def test_decompression_bomb_is_refused_before_decoding():
    # 12,000 × 12,000 pixels of one colour: a tiny PNG, 144 megapixels decoded.
    data = image_bytes("PNG", size=(12_000, 12_000), mode="L")
    assert len(data) < PHOTO_MAX_BYTES
    with pytest.raises(Invalid) as caught:
        photo_clean(upload(data, name="bomb.png"))
    assert caught.value.code == "photo_too_large"


def test_too_many_photos_are_refused():
    uploads = [upload(image_bytes()) for _n in range(PHOTOS_MAX_COUNT + 1)]
    with pytest.raises(Invalid) as caught:
        photos_clean(uploads)
    assert caught.value.code == "too_many_photos"


# --- serving


@pytest.fixture
def photo_item(service):
    item, _token = feedback_submit(
        actor=Actor(anonymous_key=uuid.uuid4()),
        service=service,
        kind="fault_report",
        title="Rikki penkki",
        description="Puistonpenkin lauta on irti ja siinä on nauloja.",
        language="fi",
        photos=[upload(with_gps_and_orientation())],
    )
    return item


def photo_url(item: FeedbackItem) -> str:
    return reverse("feedback:photo", kwargs={"name": photo_name(item.photos.get())})


def test_unapproved_photo_is_hidden_from_the_public(client, photo_item):
    assert client.get(photo_url(photo_item)).status_code == 404
    # The media address itself asks the same rule.
    media = "/media/" + photo_item.photos.get().image.name
    assert client.get(media).status_code == 404


def test_approved_photo_of_a_public_item_is_served(client, photo_item):
    photo_item.photos.update(approved=True)
    response = client.get(photo_url(photo_item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    assert b"Exif" not in content


def test_approved_photo_of_a_hidden_item_is_not_served(client, photo_item):
    photo_item.photos.update(approved=True)
    FeedbackItem.objects.filter(pk=photo_item.pk).update(visibility=Visibility.PRIVATE)
    assert client.get(photo_url(photo_item)).status_code == 404


def test_handler_sees_every_photo(client, photo_item, handler):
    client.force_login(handler)
    assert client.get(photo_url(photo_item)).status_code == 200


def test_unknown_or_escaping_names_are_404(client, db):
    assert client.get(reverse("feedback:photo", args=["nope.jpg"])).status_code == 404
    assert client.get("/feedback/photos/..%2Fsecret").status_code == 404
