"""Names kept once per language in plain columns (`name_fi`, `name_sv`, `name_en`)
for small shared lists such as cities and topics.

Wagtail pages have their own translations (one page per locale); these lists are
rows that every language version of a page points to, so each row holds its
names side by side and shows the one of the active language.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

FALLBACK_LANGUAGE = "fi"


def active_language() -> str:
    """The two-letter code of the active language (Finnish outside a request)."""
    return (get_language() or settings.LANGUAGE_CODE or FALLBACK_LANGUAGE)[:2]


class TranslatedField:
    """`obj.name` is `obj.name_<active language>`, or the Finnish value when that
    language's column is empty (Finnish is required on every row)."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return self.value(obj, active_language())

    def value(self, obj, language: str) -> str:
        """The value in `language`, with the same fallback."""
        own = getattr(obj, f"{self.base}_{language}", "")
        return own or getattr(obj, f"{self.base}_{FALLBACK_LANGUAGE}")
