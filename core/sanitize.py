"""The one place untrusted text is cleaned on its way in, and rendered on its way out.

Plain-text fields (comments, dreams, cards, names, answers) keep exactly what the
person typed: `clean_text` only NFC-normalises, unifies line breaks, removes the
characters that are dangerous in any text (C0 controls but tab and newline, DEL,
and the bidirectional overrides and isolates U+202A–U+202E, U+2066–U+2069 that can
make text display as something else), and tidies surrounding whitespace. It does
not strip or decode markup: `<https://hel.fi>`, `x<y`, `Tom &amp; Jerry` and a
literal `<script>` are stored as typed, and every output escapes them (templates
auto-escape; `render_text`, the `|user_text` filter, escapes, then adds line
breaks and safe links). Joiners and marks that scripts need (ZWJ, ZWNJ, LRM, RLM)
are kept. Until 2026-12 this function was an HTML cleaner; rows stored before
then lost their angle-bracketed parts and had entities decoded (README).
Swapping the sanitiser is a change to this file only.
"""

import re
import unicodedata

from bleach.linkifier import Linker
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Dangerous in any text: C0 controls except tab and newline, DEL, and the bidi
# embedding/override (U+202A–U+202E) and isolate (U+2066–U+2069) controls.
_DANGEROUS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """`value` as typed: NFC, dangerous controls removed, whitespace tidied.

    Multi-line text keeps its lines (trailing spaces and more than one blank line
    dropped); single-line text has its runs of whitespace made one space."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _LINE_BREAKS.sub("\n", text)
    text = _DANGEROUS.sub("", text)
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
