"""The language a stored piece of user text is written in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.text.analysis import language_of


def current_text_language() -> str:
    """The language new text is taken to be in: the page's language (fi/sv/en)."""
    return language_of(get_language())


class TextLanguageField(models.CharField):
    """fi, sv or en: set at write time from the page's language (see
    `current_text_language`), correctable by the author or staff; analysis and
    search read it (`core.text.analysis`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("language"))
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("choices", settings.LANGUAGES)
        kwargs.setdefault("default", settings.LANGUAGE_CODE)
        super().__init__(*args, **kwargs)
