"""The one place untrusted text is cleaned on its way in.

Every service that stores text typed by a person (comments, dreams, cards, names)
calls `clean_text`. Output is escaped by the templates as usual; `render_text`
(the `|user_text` filter) adds line breaks and safe links on the way out.
Swapping the sanitiser is a change to this file only.
"""

import html
import re
import unicodedata

import bleach
from bleach.linkifier import Linker
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Control characters other than tab and newline never belong in user text.
_CONTROL_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e]"
)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """Return `value` as plain text: tags stripped, controls removed, whitespace tidy.

    The result holds no markup; entities bleach produced are decoded again so that
    the stored text is what the person typed (templates escape it on output).
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = bleach.clean(
        text, tags=set(), attributes={}, strip=True, strip_comments=True
    )
    text = html.unescape(text)
    text = _CONTROL_CHARS.sub("", text)
    if multiline:
        lines = [line.rstrip() for line in text.split("\n")]
        text = _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines))
    else:
        text = " ".join(text.split())
    return text.strip()


def _link_attributes(attrs: dict, new: bool = False) -> dict:
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href.startswith(("http://", "https://", "mailto:")):
        return None  # drop anything that is not a plain web or mail link
    attrs[(None, "rel")] = "nofollow noopener ugc"
    return attrs


_linker = Linker(callbacks=[_link_attributes], parse_email=False)


def render_text(value: str | None) -> SafeString:
    """Escape stored plain text and add safe links and line breaks for display."""
    if not value:
        return mark_safe("")  # noqa: S308 - empty string
    linked = _linker.linkify(escape(value))
    paragraphs = [p.replace("\n", "<br>") for p in linked.split("\n\n") if p.strip()]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))  # noqa: S308 - escaped above
