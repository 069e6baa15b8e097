"""What a chat message looks like on the pages: escaped, links clickable and safe."""

from advice.forms import language_choices
from advice.templatetags.advice_tags import chat_links


def test_markup_in_a_message_is_shown_as_text():
    html = chat_links('<script>alert("x")</script> x < y')
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; x &lt; y" == html


def test_an_address_becomes_a_link_that_opens_nothing_of_ours():
    html = chat_links("Katso https://hel.fi/fi/palvelut.")
    assert html == (
        'Katso <a href="https://hel.fi/fi/palvelut" '
        'rel="noopener noreferrer nofollow" target="_blank">'
        "https://hel.fi/fi/palvelut</a>."
    )


def test_only_http_and_https_become_links():
    html = chat_links("javascript:alert(1) data:text/html,x ftp://x.fi")
    assert "<a" not in html


def test_a_quote_cannot_leave_the_link():
    html = chat_links('https://x.fi/"onmouseover="alert(1)')
    assert 'href="https://x.fi/"' in html
    assert 'onmouseover="' not in html


def test_an_address_in_angle_brackets_and_rtl_text_around_it():
    assert chat_links("<https://hel.fi>").startswith('&lt;<a href="https://hel.fi"')
    html = chat_links("مرحبا https://migri.fi شكرا")
    assert html.startswith("مرحبا <a") and html.endswith("</a> شكرا")


def test_languages_are_named_in_themselves_with_the_sites_three_first():
    choices = language_choices(["ru", "ar", "fi"])
    assert [code for code, _ in choices] == ["fi", "sv", "en", "ru", "ar"]
    assert dict(choices)["ru"] == "русский"
    assert dict(choices)["ar"] == "العربية"
