"""Photos of flipcharts and paper walls attached to a board.

Checked and re-encoded by `core.images.photo_decode` (the format by decoding, a
pixel limit before decoding, every bit of metadata dropped) and stored under a
random name in `BOARD_PHOTO_FOLDER`. A photo of a room's paper may show faces
and names: it is private to the workshop's facilitators until one of them
publishes it, and `board_photo_visible` is the check `core.media` asks before it
serves a file of that folder (a refused file answers 404, like a missing one).
"""

from __future__ import annotations

import rules
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from core.images import CleanPhoto, photo_decode
from core.locking import lock_row
from core.sanitize import clean_text
from workshops.models import PHOTO_CAPTION_MAX, Board, BoardPhoto

__all__ = [
    "BOARD_PHOTOS_MAX",
    "FLIPCHART_MAX_SIDE",
    "board_photo_add",
    "board_photo_publish",
    "board_photo_remove",
    "board_photo_visible",
]

# Photos one board may hold: every wall of a long day, with retakes.
BOARD_PHOTOS_MAX = 30
# Handwriting on a flipchart must stay legible: a longer side than feedback's.
FLIPCHART_MAX_SIDE = 3200


def _require_manager(user, board: Board) -> None:
    if not rules.has_perm("workshops.manage_board_photos", user, board):
        raise Forbidden(_("Only the workshop's facilitators may do this."))


def board_photo_add(*, user, board: Board, upload, caption: str = "") -> BoardPhoto:
    """Attach a photo to `board`, unpublished. Raises `Invalid` (field "photo" or
    "caption") or `Forbidden`, having stored nothing.

    The photo is decoded and re-encoded (a large one takes a few tenths of a
    second) before the transaction opens, so no lock waits for Pillow."""
    _require_manager(user, board)
    caption = clean_text(caption, multiline=False)
    if len(caption) > PHOTO_CAPTION_MAX:
        raise Invalid(
            _("The caption may be at most %(n)d characters.")
            % {"n": PHOTO_CAPTION_MAX},
            field="caption",
            code="too_long",
        )
    if not upload:
        raise Invalid(_("Choose a photo."), field="photo", code="empty")
    clean = photo_decode(upload, field="photo", max_side=FLIPCHART_MAX_SIDE)
    return _board_photo_store(user=user, board=board, clean=clean, caption=caption)


@transaction.atomic
def _board_photo_store(
    *, user, board: Board, clean: CleanPhoto, caption: str
) -> BoardPhoto:
    # Counted under the board's lock: two uploads cannot both take the last place.
    lock_row(Board, board.pk)
    if BoardPhoto.objects.filter(board=board).count() >= BOARD_PHOTOS_MAX:
        raise Invalid(
            _("A board holds at most %(n)d photos: remove one first.")
            % {"n": BOARD_PHOTOS_MAX},
            field="photo",
            code="too_many",
        )
    photo = BoardPhoto(board=board, caption=caption, uploaded_by=user)
    # `board_photo_upload_to` makes the name random; only the extension is kept.
    photo.image.save(f"photo.{clean.extension}", ContentFile(clean.content), save=False)
    photo.width, photo.height = clean.width, clean.height
    try:
        photo.save(force_insert=True)
    except Exception:
        photo.image.storage.delete(photo.image.name)  # no row, no file
        raise
    return photo


@transaction.atomic
def board_photo_publish(*, user, photo: BoardPhoto, published: bool) -> BoardPhoto:
    """Publish a photo (anyone may see it, with the results) or take it back."""
    _require_manager(user, photo.board)
    fresh = lock_row(BoardPhoto, photo.pk)
    if fresh is None:
        raise Invalid(_("That photo no longer exists."), code="not_found")
    if published and fresh.published_at is None:
        fresh.published_at = timezone.now()
    elif not published:
        fresh.published_at = None
    fresh.save(update_fields=["published_at"])
    return fresh


@transaction.atomic
def board_photo_remove(*, user, photo: BoardPhoto) -> None:
    """Delete a photo and, once that is committed, its file."""
    _require_manager(user, photo.board)
    fresh = lock_row(BoardPhoto, photo.pk)
    if fresh is None:
        return
    storage, name = fresh.image.storage, fresh.image.name
    fresh.delete()
    transaction.on_commit(lambda: storage.delete(name))


def board_photo_visible(request: HttpRequest, name: str) -> bool:
    """`core.media`'s check for `BOARD_PHOTO_FOLDER`: a published photo for
    anyone, every photo of the board for the workshop's facilitators."""
    photo = (
        BoardPhoto.objects.select_related("board__workshop")
        .filter(image=name)
        .only("published_at", "board__workshop__id", "board__workshop__city_id")
        .first()
    )
    if photo is None:
        return False
    return rules.has_perm("workshops.view_board_photo", request.user, photo)
