"""A resident gives feedback with a photo and a place on the map, follows the
private link, a handler answers, and the resident reads the answer there.

One daphne serves the demo (`manage.py load_demo`) from a SQLite file; the map's
tiles are answered by the test (no network), and the handler's answer is given
through the real service (`answer_give`) in a `manage.py shell` on the same
database."""

import io
import subprocess

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests import live

pytestmark = pytest.mark.e2e

TITLE = "Broken door at the test library"
ANSWER = "The door motor was replaced today."


@pytest.fixture(scope="module")
def demo_site(demo_site_copy):
    folder, env, _demo = demo_site_copy("feedback-form")
    with live.serving(env, folder) as base:
        yield base, env, folder


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 230, 230)).save(buffer, "PNG")
    return buffer.getvalue()


def _answer(env: dict) -> None:
    """The handler answers the new item through the handling service."""
    code = (
        "from accounts.models import User; "
        "from feedback.models import FeedbackItem; "
        "from feedback.services.handling import answer_give; "
        f"item = FeedbackItem.objects.get(title={TITLE!r}); "
        "user = User.objects.get(email='handler@palvelupaja.test'); "
        f"answer_give(item=item, user=user, answer={ANSWER!r})"
    )
    subprocess.run(  # noqa: S603 - our own manage.py
        [live.PYTHON, "manage.py", "shell", "-c", code],
        cwd=live.ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def test_give_feedback_follow_it_and_read_the_answer(browser, demo_site, tmp_path):
    base, env, _folder = demo_site
    context = browser.new_context(base_url=base, locale="en-GB")
    context.set_default_timeout(10_000)
    tile = _png()
    context.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(body=tile, content_type="image/png"),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type in ("warning", "error") and errors.append(message.text)
        ),
    )
    page.goto("/en/feedback/new/")

    page.get_by_label("City").select_option("helsinki")
    # The search box narrows the grouped list of services.
    page.get_by_label("Search services").fill("librar")
    service = page.get_by_label("What is your feedback about?")
    service.select_option(label="Libraries")
    page.get_by_label("Fault report").check()
    page.get_by_label("Title", exact=True).fill(TITLE)
    # "Maybe already answered": the demo's answered swimming question appears.
    description = page.get_by_label("Your feedback", exact=True)
    description.fill("Are there women-only swimming hours?")
    # A fresh server loads the word dictionaries (fi, sv, en) on its first
    # analysed query: seconds on a busy machine.
    expect(page.locator("#similar-box")).to_be_visible(timeout=30_000)
    expect(page.locator("#similar-results")).to_contain_text("women-only")
    description.fill(
        "The automatic main door does not open, so wheelchairs cannot get in."
    )
    page.get_by_label("Address or place").fill("Library street 1")
    # A point on the map fills the hidden fields.
    page.locator("#feedback-map").click(position={"x": 120, "y": 100})
    expect(page.locator("#map-status")).not_to_be_empty()
    assert page.locator("input[name=lat]").input_value()
    photo = tmp_path / "door.png"
    photo.write_bytes(_png())
    page.get_by_label("Photos").set_input_files(str(photo))
    page.get_by_role("button", name="Send feedback").click()

    thanks = page.get_by_role("heading", name="Thank you for your feedback")
    expect(thanks).to_be_visible()
    link = page.locator("#track-link").get_attribute("href")
    assert "/feedback/track/" in link
    page.goto(link)
    expect(page.locator("#no-answer")).to_be_visible()
    expect(page.locator("main")).to_contain_text(TITLE)
    # The sender sees their own photo, though no handler has checked it yet.
    image = page.locator(".feedback-photos img")
    expect(image).to_have_count(1)
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == 256

    _answer(env)
    page.reload()
    expect(page.locator("#answer")).to_contain_text(ANSWER)
    assert not errors, errors
    context.close()
