"""Paper and in-person input in a real browser: a facilitator types a pile of
paper cards with the keyboard, previews them and adds them, and a participant's
open board shows them live; the kit, paper and photo pages are axe-clean and fit
a 375 px phone."""

import io

import pytest
from playwright.sync_api import expect

from tests.e2e import axe

pytestmark = pytest.mark.e2e

LIVE = 1000  # ms


def facilitator_page(browser, base, seeded, **context):
    ctx = browser.new_context(**context)
    ctx.add_cookies(
        [{"name": "sessionid", "value": seeded["facilitator_session"], "url": base}]
    )
    return ctx, ctx.new_page()


def assert_page_ok(page, phone: bool = False) -> None:
    axe.assert_axe_clean(page)
    axe.assert_target_sizes(page)
    if phone:
        axe.assert_no_sideways_scroll(page)


def test_paper_cards_typed_with_the_keyboard_reach_the_board_live(
    browser, live_server_url
):
    base, seeded = live_server_url
    board_path = f"/en/workshops/{seeded['workshop']}/boards/{seeded['board']}/"
    anna_ctx = browser.new_context()
    anna = anna_ctx.new_page()
    anna.goto(f"{base}/en/join/{seeded['code']}/")
    anna.get_by_label("Your name on the board").fill("Anna")
    anna.get_by_role("button", name="Join").click()
    expect(anna.locator("#board-app")).to_have_attribute("data-state", "live")

    fac_ctx, fac = facilitator_page(browser, base, seeded)
    fac.goto(f"{base}{board_path}paper/")
    # Keyboard only: focus the first field, Tab from field to field, type.
    fac.get_by_label("Column").focus()
    fac.keyboard.press("End")  # the last column
    fac.keyboard.press("Tab")
    fac.keyboard.type("Kontula library")
    fac.get_by_label("Cards, one per line").focus()
    fac.keyboard.type("Benches by the <b>door</b>\n\nLonger evening hours\n")
    fac.get_by_role("button", name="Preview").focus()
    fac.keyboard.press("Enter")
    expect(fac.get_by_role("heading", name="2 cards will be added")).to_be_visible()
    assert_page_ok(fac)
    fac.get_by_role("button", name="Add the cards").focus()
    fac.keyboard.press("Enter")
    expect(fac.locator("#messages")).to_contain_text("2 cards were added")
    # The meeting stays for the next pile.
    expect(fac.get_by_label("Meeting", exact=True)).to_have_value("Kontula library")

    for text in ("Benches by the <b>door</b>", "Longer evening hours"):
        card = anna.locator(".board-card", has_text=text)
        expect(card).to_be_visible(timeout=LIVE)
        expect(card).to_contain_text("On paper: Kontula library")
    expect(anna.locator("#announcer")).to_contain_text("A card from paper was added")
    anna_ctx.close()
    fac_ctx.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_kit_and_photo_pages_are_accessible(browser, live_server_url, viewport):
    from PIL import Image

    base, seeded = live_server_url
    size = (
        {"width": axe.PHONE_WIDTH, "height": 812}
        if viewport == "phone"
        else {"width": 1280, "height": 800}
    )
    ctx, fac = facilitator_page(browser, base, seeded, viewport=size)
    phone = viewport == "phone"
    fac.goto(f"{base}/en/workshops/{seeded['workshop']}/kit/")
    expect(fac.locator(".kit-sheet svg")).to_be_visible()
    assert_page_ok(fac, phone)
    # Printed, the site's chrome is gone and each sheet is a page of its own.
    fac.emulate_media(media="print")
    expect(fac.locator(".site-header")).to_be_hidden()
    assert fac.locator(".kit-sheet").first.evaluate(
        "el => getComputedStyle(el).breakAfter"
    ) in ("page", "always")
    fac.emulate_media(media="screen")

    fac.goto(
        f"{base}/en/workshops/{seeded['workshop']}/boards/{seeded['board']}/photos/"
    )
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(buffer, "PNG")
    fac.get_by_label("Photo", exact=True).set_input_files(
        {"name": "wall.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
    )
    fac.get_by_label("Caption").fill("The ideas wall")
    fac.get_by_role("button", name="Add the photo").click()
    expect(fac.get_by_role("img", name="The ideas wall").first).to_be_visible()
    assert_page_ok(fac, phone)
    ctx.close()
