"""Thin views over feedback.services and feedback.selectors: giving feedback,
the sender's follow-up page and the photos. Every form works without JS."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from core.media import media_serve
from feedback.photos import PHOTO_FOLDER


def feedback_photo(request: HttpRequest, name: str) -> HttpResponse:
    """A photo, by its random name, to whoever `photo_visible` lets see it."""
    return media_serve(request, PHOTO_FOLDER + name)
