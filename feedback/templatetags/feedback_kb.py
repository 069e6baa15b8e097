"""Template tags of the public knowledge base (its pages and the home page)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url

from feedback.models import FeedbackPhoto
from feedback.photos import photo_path
from feedback.selectors import feedback_recently_answered

register = template.Library()


@register.inclusion_tag("feedback/includes/recently_answered.html")
def recently_answered_feedback(limit: int = 5) -> dict:
    """The feedback the city answered last, for the home page (one query)."""
    return {"items": feedback_recently_answered(limit=limit)}


@register.inclusion_tag("feedback/includes/alternate_links.html", takes_context=True)
def alternate_links(context) -> dict:
    """`<link rel="alternate" hreflang>` to this address in every language."""
    request = context.get("request")
    if request is None:
        return {"links": []}
    path = request.get_full_path()
    return {
        "links": [
            {"code": code, "url": request.build_absolute_uri(translate_url(path, code))}
            for code, _name in settings.LANGUAGES
        ]
    }


@register.filter
def photo_url(photo: FeedbackPhoto) -> str:
    """The address of an approved photo, served by visibility (`feedback:photo`);
    "" where that view is not installed."""
    return photo_path(photo.image.name)
