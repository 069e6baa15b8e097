"""Photos sent with feedback: checked by decoding, re-encoded, served by visibility.

Checking and re-encoding (formats by decoding, the pixel limit before decoding,
metadata stripped) is `core.images.photo_decode`, shared with workshop photos;
this module keeps feedback's limits, storage and visibility. File names are random
(`feedback.models.photo_upload_to`).

Photos are stored unapproved: a handler checks each one (faces, licence plates,
house numbers) before it is public. `photo_visible` is the one visibility rule,
asked by `core.media` for every file under `feedback/` and so by both the
`feedback:photo` view and `/media/feedback/…`.
"""

from __future__ import annotations

import secrets

import rules
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import ngettext

from core.actors import actor_from_request
from core.errors import Invalid
from core.images import (
    ALLOWED_FORMATS,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
    PHOTO_MAX_SIDE,
    CleanPhoto,
    photo_decode,
)
from feedback.models import FeedbackItem, FeedbackPhoto, tracking_token_hash

__all__ = [
    "ALLOWED_FORMATS",
    "PHOTOS_MAX_COUNT",
    "PHOTO_FOLDER",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "PHOTO_MAX_SIDE",
    "CleanPhoto",
    "photo_clean",
    "photo_name",
    "photo_path",
    "photo_visible",
    "photos_clean",
    "photos_store",
]

PHOTO_FOLDER = "feedback/"
PHOTOS_MAX_COUNT = 5


def _refuse(message: str, code: str) -> Invalid:
    return Invalid(message, field="photos", code=code)


def photo_clean(upload) -> CleanPhoto:
    """Decode `upload`, check it and re-encode it (`core.images.photo_decode`,
    refusing on the field "photos"); a stored photo's long side is at most
    PHOTO_MAX_SIDE: enough to see a pothole or a broken door."""
    return photo_decode(upload, field="photos")


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
    token = request.GET.get("t", "")
    if (
        token
        and len(token) < 200
        and secrets.compare_digest(
            tracking_token_hash(token), photo.item.tracking_token_hash
        )
    ):
        return True
    return rules.test_rule("feedback.view_photo", actor_from_request(request), photo)
