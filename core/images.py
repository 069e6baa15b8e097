"""Uploaded photos: checked by decoding, re-encoded without metadata.

What a file *is* is decided by decoding it with Pillow, never by its name or the
content type the browser claims: only JPEG, PNG and WebP pass. Before any pixel
is decoded the header's size is checked against `max_pixels`, so a small file
that would expand into gigabytes (a decompression bomb) is refused cheaply. Each
photo is then drawn afresh (EXIF orientation applied), scaled down to `max_side`
and saved without any metadata: no GPS position, camera serial, embedded
thumbnail or text chunk reaches the server's disk, whatever the phone wrote.

Used by feedback photos (`feedback.photos`) and workshop flipchart photos
(`workshops.services.photos`); each keeps its own limits, folder and visibility
rule (served through `core.media`). Refusals are `core.errors.Invalid` with the
codes `photo_too_big`, `photo_type` and `photo_too_large`, on the caller's field.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import Invalid

__all__ = [
    "ALLOWED_FORMATS",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "PHOTO_MAX_SIDE",
    "CleanPhoto",
    "photo_decode",
]

# A phone photo is 2–6 MB; more than this is refused before it is decoded.
PHOTO_MAX_BYTES = 8 * 1024 * 1024
# 40 megapixels: more than any phone camera, far less than a bomb.
PHOTO_MAX_PIXELS = 40_000_000
# Stored photos are scaled down to this long side by default.
PHOTO_MAX_SIDE = 2560
# Pillow's format name -> the file extension it is saved with.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class CleanPhoto:
    """A photo decoded and re-encoded, ready to store."""

    content: bytes
    extension: str
    width: int
    height: int


def photo_decode(
    upload,
    *,
    field: str,
    max_bytes: int = PHOTO_MAX_BYTES,
    max_pixels: int = PHOTO_MAX_PIXELS,
    max_side: int = PHOTO_MAX_SIDE,
) -> CleanPhoto:
    """Decode `upload` (a Django uploaded file), check it and re-encode it.

    Refuses with `Invalid` (on `field`) a file that is too big, not an image, of
    another format (SVG, GIF, HEIC, PDF, …) or with too many pixels."""
    name = getattr(upload, "name", "") or _("the file")

    def refuse(message: str, code: str) -> Invalid:
        return Invalid(message, field=field, code=code)

    too_big = refuse(
        _("%(name)s is too big: a photo may be at most %(mb)d MB.")
        % {"name": name, "mb": max_bytes // (1024 * 1024)},
        "photo_too_big",
    )
    too_large = refuse(
        _("%(name)s has too many pixels: at most %(mp)d megapixels.")
        % {"name": name, "mp": max_pixels // 1_000_000},
        "photo_too_large",
    )
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_big
    upload.seek(0)
    # The claimed size may lie: read one byte more than allowed to find out.
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_big
    not_a_photo = refuse(
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
            if width * height > max_pixels or not width or not height:
                raise too_large
            probe.verify()
            # verify() leaves the image unusable: open it again to decode.
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side))
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise not_a_photo from error
    except Image.DecompressionBombError as error:
        raise too_large from error
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
