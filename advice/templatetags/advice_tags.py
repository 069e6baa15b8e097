"""Template helpers of the advice desk's pages.

`chat_links` is the server's half of "links made clickable and safe": the chat
module (`static/js/advice/links.js`) finds the same addresses with the same
pattern, so a message looks the same before and after JavaScript takes over.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# http(s) addresses up to a space or a character that ends prose around them;
# trailing punctuation stays outside the link ("see https://hel.fi.").
URL_PATTERN = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}»”’"
LINK_REL = "noopener noreferrer nofollow"


def _split_trailing(url: str) -> tuple[str, str]:
    end = len(url)
    while end > 0 and url[end - 1] in TRAILING:
        # A closing bracket that the address itself opened stays in it.
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break
        end -= 1
    return url[:end], url[end:]


@register.filter
def chat_links(text: str) -> SafeString:
    """`text` escaped, its http/https addresses as links that open nothing of ours."""
    parts = []
    position = 0
    for match in URL_PATTERN.finditer(text or ""):
        url, rest = _split_trailing(match.group(0))
        if len(url) <= len("https://"):
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(
            f'<a href="{escape(url)}" rel="{LINK_REL}" target="_blank">'
            f"{escape(url)}</a>{escape(rest)}"
        )
        position = match.end()
    parts.append(escape((text or "")[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
