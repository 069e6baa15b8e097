"""Uploaded files (MEDIA_ROOT), served through one view that asks who may see each.

An app whose uploads may be private registers a check for its folder of
MEDIA_ROOT from its `AppConfig.ready()`::

    media.register("documents/", lambda request, name: False)

`check(request, name) -> bool` is asked with the file's name relative to
MEDIA_ROOT. A file is served when every check whose folder holds it says yes;
a file no check covers is public. A refused file answers 404 like a missing one,
so the address does not tell that a private file exists. Names that could leave
MEDIA_ROOT (`..`, absolute paths, backslashes, symlinks out) are refused.

Files are served inline only when browsers cannot run them (raster images);
everything else is a download, so an uploaded page or SVG never runs as the site.
"""

import mimetypes
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

MediaCheck = Callable[[HttpRequest, str], bool]

_checks: dict[str, MediaCheck] = {}

INLINE_TYPES = frozenset(
    {"image/avif", "image/gif", "image/jpeg", "image/png", "image/webp"}
)


def register(folder: str, check: MediaCheck) -> None:
    """Ask `check` about every file under `folder` (relative to MEDIA_ROOT).
    Registering the same folder again replaces its check."""
    _checks[folder.strip("/") + "/"] = check


def media_name_clean(name: str) -> str | None:
    """The name when it stays inside MEDIA_ROOT as written, else None."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return name


def media_restricted(name: str) -> bool:
    return any(name.startswith(folder) for folder in _checks)


def media_visible(request: HttpRequest, name: str) -> bool:
    return all(
        check(request, name)
        for folder, check in _checks.items()
        if name.startswith(folder)
    )


@require_safe
def media_serve(request: HttpRequest, name: str):
    clean = media_name_clean(name)
    if clean is None:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / clean).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    if not media_visible(request, clean):
        raise Http404
    stat = path.stat()
    if not was_modified_since(
        request.headers.get("If-Modified-Since"), int(stat.st_mtime)
    ):
        return HttpResponseNotModified()
    content_type, encoding = mimetypes.guess_type(path.name)
    inline = encoding is None and content_type in INLINE_TYPES
    response = FileResponse(
        path.open("rb"),
        as_attachment=not inline,
        filename=path.name,
        content_type=content_type if inline else "application/octet-stream",
    )
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = (
        "private, no-cache" if media_restricted(clean) else "public, max-age=3600"
    )
    return response
