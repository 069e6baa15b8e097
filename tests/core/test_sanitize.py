"""Text as typed: kept exactly (NFC), only dangerous controls removed; escaped on
every way out."""

import pytest

from core.sanitize import clean_text, render_text

# (typed, stored): what a person types is what is stored, but for what is dangerous.
CORPUS = [
    (
        "see <https://hel.fi> or mail <matti@example.fi> please",
        "see <https://hel.fi> or mail <matti@example.fi> please",
    ),
    ("x<y and y>z", "x<y and y>z"),
    ("Tom &amp; Jerry", "Tom &amp; Jerry"),
    ("&lt;script&gt;", "&lt;script&gt;"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    # ZWJ in a family emoji, ZWNJ in Persian, RLM and LRM: kept
    ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
    ("می\u200cخواهم", "می\u200cخواهم"),
    ("\u200fשלום\u200e ok", "\u200fשלום\u200e ok"),
    # bidi overrides and isolates, C0 controls and DEL: removed
    ("abc\u202egpj.exe", "abcgpj.exe"),
    ("a\u2066b\u2067c\u2068d\u2069e\u202af\u202bg\u202ch\u202di", "abcdefghi"),
    ("nul\x00 bell\x07 del\x7f", "nul bell del"),
    # tab and newline kept; other line breaks become newlines
    ("a\tb\r\nc\rd\u2028e", "a\tb\nc\nd\ne"),
    # the same letter typed two ways is one
    ("ka\u0308vely", "kävely"),
]


@pytest.mark.parametrize(("typed", "stored"), CORPUS)
def test_text_is_stored_as_typed_but_for_dangerous_controls(typed, stored):
    assert clean_text(typed) == stored


def test_whitespace_is_tidied_not_the_words():
    assert clean_text("  yksi  \n\n\n\n kaksi  ") == "yksi\n\n kaksi"
    assert clean_text(" yksi \n kaksi ", multiline=False) == "yksi kaksi"
    assert clean_text(None) == "" and clean_text("") == ""


@pytest.mark.parametrize(("typed", "stored"), CORPUS)
def test_rendering_escapes_everything_typed(typed, stored):
    html = str(render_text(clean_text(typed)))
    assert "<script" not in html
    assert "&lt;" in html or "<" not in stored


def test_rendering_links_a_url_in_angle_brackets_without_the_brackets():
    html = str(render_text(clean_text("see <https://hel.fi> please")))
    assert '<a href="https://hel.fi" rel="nofollow noopener ugc">' in html
    assert html.startswith("<p>see &lt;<a") and html.endswith("&gt; please</p>")
