"""The board as a board: drag and drop with the mouse and with touch, the
keyboard path, undo, clusters, the locked board and the presenter view, with a
facilitator and a participant in separate browsers."""

import re

import pytest
from playwright.sync_api import expect

from tests import live
from tests.e2e.test_board_live import LIVE

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def live_server_url(migrated_site):
    """A board per test, so that each starts from empty columns."""
    folder, env = migrated_site("e2e-drag")
    seeded = live.seed(env, participants=0, boards=5)
    with live.serving(env, folder) as base:
        yield base, seeded


def board_url(base, seeded, index: int, present: bool = False) -> str:
    board = seeded["boards"][index]
    query = "?present=1" if present else ""
    return f"{base}/en/workshops/{seeded['workshop']}/boards/{board}/{query}"


def facilitator(browser, base, seeded, index: int, **options):
    context = browser.new_context(**options)
    context.add_cookies(
        [{"name": "sessionid", "value": seeded["facilitator_session"], "url": base}]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.errors = errors
    page.goto(board_url(base, seeded, index))
    expect(page.locator("#board-app")).to_have_attribute("data-state", "live")
    return context, page


def participant_on(browser, base, seeded, index: int, name: str):
    """A participant who joins with the code (which lands on the workshop's list
    of boards) and opens board `index`."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/en/join/{seeded['code']}/")
    page.get_by_label("Your name on the board").fill(name)
    page.get_by_role("button", name="Join").click()
    page.wait_for_load_state()
    page.goto(board_url(base, seeded, index))
    expect(page.locator("#board-app")).to_have_attribute("data-state", "live")
    return context, page


def add(page, text: str, column: str | None = None):
    if column is not None:
        page.get_by_label("Column", exact=True).select_option(label=column)
    page.get_by_label("Card text").fill(text)
    page.get_by_role("button", name="Add card").click()
    card = page.locator("#board .board-card", has_text=text)
    expect(card).to_be_visible(timeout=LIVE)
    return card


def column(page, index: int):
    return page.locator("#board .board-column").nth(index)


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def mouse_drag(page, card, target, *, dy: float = 0) -> None:
    """Press on the card's text, move in steps over the page, release over
    `target` (`dy` px below its centre)."""
    # Both ends on the screen (the board scrolls itself only near its edges).
    target.scroll_into_view_if_needed()
    card.scroll_into_view_if_needed()
    x, y = centre(card.locator(".board-card__text"))
    page.mouse.move(x, y)
    page.mouse.down()
    tx, ty = centre(target)
    page.mouse.move(tx, ty + dy, steps=12)
    page.mouse.up()


def touch_drag(page, cdp, source, target) -> None:
    """A finger on `source` (the card's handle) dragged to `target`, through the
    browser's own touch events (DevTools protocol `Input.dispatchTouchEvent`)."""
    x, y = centre(source)
    tx, ty = centre(target)
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]},
    )
    for step in range(1, 13):
        px = x + (tx - x) * step / 12
        py = y + (ty - y) * step / 12
        cdp.send(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": [{"x": px, "y": py}]},
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def titles(page, index: int) -> list[str]:
    cards = column(page, index).locator(".board-card__text")
    return [t.strip() for t in cards.all_text_contents()]


def test_mouse_drag_moves_clusters_and_undoes_for_everyone(browser, live_server_url):
    base, seeded = live_server_url
    fac_context, fac = facilitator(
        browser, base, seeded, 0, viewport={"width": 1280, "height": 1400}
    )
    anna_context, anna = participant_on(browser, base, seeded, 0, "Anna")
    first = column(fac, 0).locator("h3").inner_text()
    second = column(fac, 1).locator("h3").inner_text()
    add(fac, "Benches", first)
    add(fac, "Lights", first)
    add(fac, "Sauna", second)

    # Onto another column's heading: the top of that column, for everyone.
    mouse_drag(
        fac,
        fac.locator(".board-card", has_text="Benches"),
        column(fac, 1).locator("h3"),
    )
    expect(column(anna, 1).locator(".board-card")).to_have_count(2, timeout=LIVE)
    assert titles(anna, 1) == ["Benches", "Sauna"]
    expect(anna.locator("#announcer")).to_contain_text(
        f"“Benches” was moved to {second}, place 1."
    )

    # A wrong drop is undone: back to its column and place.
    expect(fac.locator("#board-undo-text")).to_have_text(
        f"You moved “Benches” to {second}."
    )
    fac.get_by_role("button", name="Undo").click()
    expect(column(anna, 0).locator(".board-card")).to_have_count(2, timeout=LIVE)
    assert titles(anna, 0) == ["Benches", "Lights"]
    expect(fac.locator("#board-undo")).to_be_hidden()

    # Onto a place within a column: above the card it is dropped on the top of.
    mouse_drag(
        fac,
        fac.locator(".board-card", has_text="Lights"),
        fac.locator(".board-card", has_text="Benches"),
        dy=-12,
    )
    expect(column(anna, 0).locator(".board-card").first).to_have_text(
        re.compile("Lights"), timeout=LIVE
    )

    # Onto a cluster: the card joins it; the cluster shows its name and votes.
    sauna = fac.locator(".board-card", has_text="Sauna")
    sauna.get_by_text("More", exact=True).click()
    sauna.get_by_label("Cluster").fill("Outdoors")
    sauna.locator('[data-form="group"]').get_by_role("button", name="Save").click()
    cluster = anna.locator('.board-cluster[data-cluster="Outdoors"]')
    expect(cluster.locator(".board-cluster__name")).to_have_text(
        "Outdoors", timeout=LIVE
    )
    expect(cluster.locator(".board-cluster__votes")).to_have_text("0 votes")
    mouse_drag(
        fac,
        fac.locator(".board-card", has_text="Benches"),
        fac.locator('.board-cluster[data-cluster="Outdoors"] .board-cluster__head'),
    )
    expect(cluster.locator(".board-card")).to_have_count(2, timeout=LIVE)
    expect(anna.locator("#announcer")).to_contain_text(
        "“Benches” was put in the cluster Outdoors."
    )
    assert fac.errors == []
    for context in (fac_context, anna_context):
        context.close()


def test_touch_drag_on_a_phone(browser, live_server_url):
    base, seeded = live_server_url
    fac_context, fac = facilitator(browser, base, seeded, 1)
    first = column(fac, 0).locator("h3").inner_text()
    add(fac, "Library hours", first)
    add(fac, "Bus stop", first)
    # A tall phone, so that the card and the column it goes to are both on the
    # screen (the page scrolls itself during a drag only near its edges).
    phone_context = browser.new_context(
        viewport={"width": 375, "height": 1200}, has_touch=True, is_mobile=True
    )
    phone_context.add_cookies(
        [{"name": "sessionid", "value": seeded["facilitator_session"], "url": base}]
    )
    phone = phone_context.new_page()
    phone.goto(board_url(base, seeded, 1))
    expect(phone.locator("#board-app")).to_have_attribute("data-state", "live")
    cdp = phone_context.new_cdp_session(phone)

    card = phone.locator(".board-card", has_text="Library hours")
    grip = card.locator('[data-slot="grip"]')
    expect(grip).to_be_visible()
    target = column(phone, 1).locator("h3")
    # The card near the top of the screen, below the sticky votes bar.
    phone.evaluate(
        "(el) => window.scrollBy(0, el.getBoundingClientRect().top - 120)",
        card.element_handle(),
    )
    assert target.bounding_box()["y"] < 1150
    touch_drag(phone, cdp, grip, target)
    expect(column(fac, 1).locator(".board-card")).to_have_text(
        [re.compile("Library hours")], timeout=LIVE
    )
    # A finger on the card's text scrolls the page; it does not pick the card up.
    bus = phone.locator(".board-card", has_text="Bus stop").locator(".board-card__text")
    phone.evaluate(
        "(el) => window.scrollBy(0, el.getBoundingClientRect().top - 120)",
        bus.element_handle(),
    )
    touch_drag(phone, cdp, bus, column(phone, 1).locator("h3"))
    phone.wait_for_timeout(300)
    expect(column(fac, 0).locator(".board-card")).to_have_count(1)
    for c in (fac_context, phone_context):
        c.close()


def test_keyboard_moves_are_announced_and_undone(browser, live_server_url):
    base, seeded = live_server_url
    fac_context, fac = facilitator(browser, base, seeded, 2)
    first = column(fac, 0).locator("h3").inner_text()
    second = column(fac, 1).locator("h3").inner_text()
    add(fac, "Ramp at the door", first)
    button = fac.locator(".board-card", has_text="Ramp").get_by_role(
        "button", name="Move to the next column"
    )
    button.focus()
    fac.keyboard.press("Enter")
    expect(column(fac, 1).locator(".board-card")).to_have_count(1, timeout=LIVE)
    expect(fac.locator("#announcer")).to_contain_text(
        f"“Ramp at the door” was moved to {second}, place 1."
    )
    # The focus stays with the card's button, which moved with it.
    assert fac.evaluate("() => document.activeElement.dataset.act") == "right"
    fac.get_by_role("button", name="Undo").focus()
    fac.keyboard.press("Enter")
    expect(column(fac, 0).locator(".board-card")).to_have_count(1, timeout=LIVE)
    assert fac.evaluate("() => document.activeElement.id").startswith("card-")

    # Printed, the board is its columns and cards: nothing to press.
    fac.emulate_media(media="print")
    expect(fac.locator(".board-card", has_text="Ramp")).to_be_visible()
    expect(column(fac, 0).locator("h3")).to_be_visible()
    for part in (".board-console", ".board-add", ".site-header", ".board-presence"):
        expect(fac.locator(part)).to_be_hidden()
    expect(fac.locator(".board-card__actions").first).to_be_hidden()
    fac_context.close()


def test_presenter_view_never_shows_hidden_texts(browser, live_server_url):
    base, seeded = live_server_url
    fac_context, fac = facilitator(browser, base, seeded, 3)
    screen = fac_context.new_page()  # the facilitator's own session
    screen.goto(board_url(base, seeded, 3, present=True))
    expect(screen.locator("#board-app")).to_have_attribute("data-state", "live")
    expect(screen.locator("#board button, #board-app form")).to_have_count(0)

    fac.get_by_label("Phase").select_option("silent")
    fac.get_by_role("button", name="Set phase").click()
    add(fac, "A secret wish")  # the facilitator's own hidden card
    expect(screen.locator(".board-card--hidden")).to_have_count(1, timeout=LIVE)
    assert "A secret wish" not in screen.content()
    screen.reload()
    expect(screen.locator("#board-app")).to_have_attribute("data-state", "live")
    expect(screen.locator(".board-card--hidden")).to_have_count(1)
    assert "A secret wish" not in screen.content()

    fac.get_by_role("button", name="Reveal cards").click()
    expect(screen.locator(".board-card", has_text="A secret wish")).to_be_visible(
        timeout=LIVE
    )
    fac_context.close()


def test_a_locked_board_disables_what_it_refuses(browser, live_server_url):
    base, seeded = live_server_url
    fac_context, fac = facilitator(browser, base, seeded, 4)
    add(fac, "Before the lock")
    anna_context, anna = participant_on(browser, base, seeded, 4, "Anna")
    add(anna, "Mine")
    fac.get_by_role("button", name="Lock board", exact=True).click()

    expect(anna.locator("#locked-notice")).to_be_visible(timeout=LIVE)
    expect(anna.get_by_label("Card text")).to_be_disabled()
    expect(anna.get_by_role("button", name="Add card")).to_be_disabled()
    mine = anna.locator(".board-card", has_text="Mine")
    expect(mine.locator('[data-slot="grip"]')).to_be_hidden()
    expect(mine.get_by_role("button", name="+1 Vote", exact=True)).to_be_disabled()
    expect(mine.get_by_role("button", name="Move to the next column")).to_be_hidden()
    # A facilitator still works on a locked board.
    expect(fac.get_by_label("Card text")).to_be_enabled()

    fac.get_by_role("button", name="Unlock board").click()
    expect(anna.get_by_label("Card text")).to_be_enabled(timeout=LIVE)
    expect(anna.locator("#locked-notice")).to_be_hidden()
    for c in (fac_context, anna_context):
        c.close()
