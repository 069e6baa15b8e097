"""Photos sent with feedback: checked by decoding, re-encoded, served by visibility.

What a file *is* is decided by decoding it with Pillow, never by its name or the
content type the browser claims: only JPEG, PNG and WebP pass. Before any pixel
is decoded the header's size is checked against `PHOTO_MAX_PIXELS`, so a small
file that would expand into gigabytes (a decompression bomb) is refused cheaply.
Each photo is then drawn afresh (EXIF orientation applied) and saved without any
metadata: no GPS position, camera serial or embedded thumbnail reaches the
server's disk, whatever the sender's phone wrote. File names are random
(`feedback.models.photo_upload_to`).

Photos are stored unapproved: a handler checks each one (faces, licence plates,
house numbers) before it is public. `photo_visible` is the one visibility rule,
asked by `core.media` for every file under `feedback/` and so by both the
`feedback:photo` view and `/media/feedback/…`.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

import rules
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from core.actors import actor_from_request
from core.errors import Invalid
from feedback.models import FeedbackItem, FeedbackPhoto, tracking_token_hash
from feedback.rules import is_sender

PHOTO_FOLDER = "feedback/"
# A phone photo is 2–6 MB; more than this is refused before it is decoded.
PHOTO_MAX_BYTES = 8 * 1024 * 1024
# 40 megapixels: more than any phone camera, far less than a bomb.
PHOTO_MAX_PIXELS = 40_000_000
PHOTOS_MAX_COUNT = 5
# Stored photos are scaled down to this long side: enough to see a pothole or a
# broken door, and a quarter of the bytes of a 12-megapixel original.
PHOTO_MAX_SIDE = 2560
# Pillow's format name -> (the format saved, the file extension).
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class CleanPhoto:
    """A photo decoded and re-encoded, ready to store."""

    content: bytes
    extension: str
    width: int
    height: int


def _refuse(message: str, code: str) -> Invalid:
    return Invalid(message, field="photos", code=code)


def photo_clean(upload) -> CleanPhoto:
    """Decode `upload` (a Django uploaded file), check it and re-encode it.

    Refuses with `Invalid` (field "photos") a file that is too big, not an image,
    of another format (SVG, GIF, HEIC, PDF, …) or too many pixels."""
    name = getattr(upload, "name", "") or _("the file")
    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise _refuse(
            _("%(name)s is too big: a photo may be at most %(mb)d MB.")
            % {"name": name, "mb": PHOTO_MAX_BYTES // (1024 * 1024)},
            "photo_too_big",
        )
    upload.seek(0)
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise _refuse(
            _("%(name)s is too big: a photo may be at most %(mb)d MB.")
            % {"name": name, "mb": PHOTO_MAX_BYTES // (1024 * 1024)},
            "photo_too_big",
        )
    not_a_photo = _refuse(
        _("%(name)s is not a photo we can take: send a JPEG, PNG or WebP image.")
        % {"name": name},
        "photo_type",
    )
    try:
        with warnings.catch_warnings():
            # Our own pixel limit below decides; Pillow's warning is noise here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise not_a_photo
            width, height = probe.size
            if width * height > PHOTO_MAX_PIXELS or not width or not height:
                raise _refuse(
                    _("%(name)s has too many pixels: at most %(mp)d megapixels.")
                    % {"name": name, "mp": PHOTO_MAX_PIXELS // 1_000_000},
                    "photo_too_large",
                )
            probe.verify()
            # verify() leaves the image unusable: open it again to decode.
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise not_a_photo from error
    except Image.DecompressionBombError as error:
        raise _refuse(
            _("%(name)s has too many pixels: at most %(mp)d megapixels.")
            % {"name": name, "mp": PHOTO_MAX_PIXELS // 1_000_000},
            "photo_too_large",
        ) from error
    return _encode(image, fmt)


def _encode(image: Image.Image, fmt: str) -> CleanPhoto:
    """Save `image` afresh in `fmt` with no metadata (EXIF, XMP, ICC, text)."""
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        options = {"quality": 85, "optimize": True}
    elif fmt == "PNG":
        keep = ("RGB", "RGBA", "L", "LA", "P")
        image = image if image.mode in keep else image.convert("RGBA")
        options = {"optimize": True}
    else:
        image = image.convert("RGBA") if "A" in image.mode else image.convert("RGB")
        options = {"quality": 85}
    # Pillow carries EXIF, ICC profiles and text chunks over from `info` when it
    # saves; an empty `info` means nothing but the pixels is written.
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return CleanPhoto(
        content=buffer.getvalue(),
        extension=ALLOWED_FORMATS[fmt],
        width=image.width,
        height=image.height,
    )


def photos_clean(uploads) -> list[CleanPhoto]:
    """Check every upload (all refused together: one `Invalid`) before any is kept."""
    uploads = [upload for upload in uploads if upload]
    if len(uploads) > PHOTOS_MAX_COUNT:
        raise _refuse(
            ngettext(
                "Send at most %(n)d photo.",
                "Send at most %(n)d photos.",
                PHOTOS_MAX_COUNT,
            )
            % {"n": PHOTOS_MAX_COUNT},
            "too_many_photos",
        )
    return [photo_clean(upload) for upload in uploads]


def photos_store(item: FeedbackItem, photos: list[CleanPhoto]) -> list[FeedbackPhoto]:
    """Save cleaned photos for `item`, unapproved (a handler checks each one)."""
    stored = []
    for photo in photos:
        row = FeedbackPhoto(item=item, approved=False)
        # `photo_upload_to` makes the name random; only the extension is kept.
        row.image.save(
            f"photo.{photo.extension}", ContentFile(photo.content), save=False
        )
        row.width, row.height = photo.width, photo.height
        row.save(force_insert=True)
        stored.append(row)
    return stored


def photo_name(photo: FeedbackPhoto) -> str:
    """The random file name the `feedback:photo` URL takes."""
    return photo.image.name.removeprefix(PHOTO_FOLDER)


def photo_path(stored_name: str) -> str:
    """The address of a photo by its stored file name, served by the view that
    applies visibility; "" where the public pages are not mounted."""
    try:
        return reverse(
            "feedback:photo", kwargs={"name": stored_name.removeprefix(PHOTO_FOLDER)}
        )
    except NoReverseMatch:
        return ""


def photo_visible(request: HttpRequest, name: str) -> bool:
    """`core.media`'s check for `feedback/…`: an approved photo of a public item
    for anyone; every photo for the item's handlers and for its sender (signed in,
    the same browser, or holding the follow-up token as `?t=`); nothing else."""
    photo = (
        FeedbackPhoto.objects.select_related("item")
        .filter(image=name)
        .only(
            "approved",
            "item__id",
            "item__city_id",
            "item__visibility",
            "item__withdrawn_at",
            "item__author_id",
            "item__anonymous_key",
            "item__tracking_token_hash",
        )
        .first()
    )
    if photo is None:
        return False
    item = photo.item
    if photo.approved and item.is_public:
        return True
    token = request.GET.get("t", "")
    if (
        token
        and len(token) < 200
        and secrets.compare_digest(tracking_token_hash(token), item.tracking_token_hash)
    ):
        return True
    if is_sender(actor_from_request(request), item):
        return True
    return rules.test_rule("feedback.handle_item", request.user, item)
