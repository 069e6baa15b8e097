"""The demo's languages and its StreamField blocks in Wagtail's raw form.

Bodies are lists of {"type", "value"}, so they load exactly as an editor would
have saved them.
"""

LANGUAGES = ("fi", "sv", "en")
TRANSLATIONS = LANGUAGES[1:]  # Finnish is the source language.


def heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def text(html: str) -> dict:
    return {"type": "rich_text", "value": html}


def faq(title: str, items: list[tuple[str, str]]) -> dict:
    return {
        "type": "faq",
        "value": {
            "title": title,
            "items": [{"question": q, "answer": a} for q, a in items],
        },
    }
