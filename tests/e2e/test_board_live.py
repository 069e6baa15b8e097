"""A facilitator and two participants in separate browsers on one live board."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

LIVE = 1000  # ms: a change must reach the others within a second


def open_as_participant(browser, base, code, name):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/en/join/{code}/")
    page.get_by_label("Your name on the board").fill(name)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#board-app")).to_have_attribute("data-state", "live")
    return context, page


def test_cards_timer_and_reveal_reach_everyone(browser, live_server_url):
    base, seeded = live_server_url
    fac_context = browser.new_context()
    fac_context.add_cookies(
        [{"name": "sessionid", "value": seeded["facilitator_session"], "url": base}]
    )
    fac = fac_context.new_page()
    fac.goto(f"{base}/en/workshops/{seeded['workshop']}/boards/{seeded['board']}/")
    expect(fac.locator("#board-app")).to_have_attribute("data-state", "live")
    a_context, anna = open_as_participant(browser, base, seeded["code"], "Anna")
    b_context, bert = open_as_participant(browser, base, seeded["code"], "Bert")
    expect(fac.locator("#presence li")).to_have_count(3)

    # A card added by one appears for the others within a second.
    anna.get_by_label("Card text").fill("Library open <b>late</b>")
    sent = time.monotonic()
    anna.get_by_role("button", name="Add card").click()
    for page in (bert, fac):
        expect(
            page.locator(".board-card", has_text="Library open <b>late</b>")
        ).to_be_visible(timeout=LIVE)
    assert time.monotonic() - sent < 2  # generous: includes Playwright's own polling
    # Shown as typed (#12), as text: never as markup.
    board_html = bert.content().split('id="board"')[1].split("presence")[0]
    assert "<b>late" not in board_html and "&lt;b&gt;late" in board_html

    # The timer reaches everyone.
    fac.get_by_label("Minutes").fill("2")
    fac.get_by_role("button", name="Start timer").click()
    for page in (anna, bert):
        expect(page.locator("#timer")).to_have_text(
            re.compile(r"^(2:00|1:5\d)$"), timeout=LIVE
        )
    fac.get_by_role("button", name="Stop timer").click()
    expect(bert.locator("#timer")).to_have_text("–", timeout=LIVE)

    # Silent writing: Bert sees that Anna wrote, not what, until the reveal.
    fac.get_by_label("Phase").select_option("silent")
    fac.get_by_role("button", name="Set phase").click()
    expect(bert.locator("#phase")).to_have_attribute(
        "data-phase", "silent", timeout=LIVE
    )
    anna.get_by_label("Card text").fill("A secret wish")
    anna.get_by_role("button", name="Add card").click()
    expect(anna.locator(".board-card", has_text="A secret wish")).to_be_visible(
        timeout=LIVE
    )
    expect(bert.locator(".board-card--hidden")).to_have_count(1, timeout=LIVE)
    assert "A secret wish" not in bert.content()
    assert "A secret wish" not in fac.content()
    fac.get_by_role("button", name="Reveal cards").click()
    for page in (bert, fac):
        expect(page.locator(".board-card", has_text="A secret wish")).to_be_visible(
            timeout=LIVE
        )
    expect(bert.locator(".board-card--hidden")).to_have_count(0)

    # In the voting phase, a vote by Bert shows on Anna's board, and the list view
    # is one column.
    fac.get_by_label("Phase").select_option("vote")
    fac.get_by_role("button", name="Set phase").click()
    card = bert.locator(".board-card", has_text="Library open <b>late</b>")
    expect(card.get_by_role("button", name="+1 Vote", exact=True)).to_be_enabled(
        timeout=LIVE
    )
    card.get_by_role("button", name="+1 Vote", exact=True).click()
    expect(
        anna.locator(".board-card", has_text="Library open <b>late</b>").locator(
            ".board-card__meta"
        )
    ).to_contain_text("1 vote", timeout=LIVE)
    expect(anna.locator("#votes-left")).to_have_text("5")
    expect(bert.locator("#votes-left")).to_have_text("4")
    anna.get_by_role("button", name="List view").click()
    expect(anna.get_by_role("button", name="List view")).to_have_attribute(
        "aria-pressed", "true"
    )
    for context in (fac_context, a_context, b_context):
        context.close()


def test_column_edits_reach_open_boards(browser, live_server_url):
    base, seeded = live_server_url
    fac_context = browser.new_context()
    fac_context.add_cookies(
        [{"name": "sessionid", "value": seeded["facilitator_session"], "url": base}]
    )
    columns_page = fac_context.new_page()
    workshop, board = seeded["workshop"], seeded["board"]
    columns_page.goto(f"{base}/en/workshops/{workshop}/boards/{board}/columns/")
    context, anna = open_as_participant(browser, base, seeded["code"], "Anna")
    headings = anna.locator("#board .board-column h3")
    before = headings.all_text_contents()

    # A rename changes the heading in place, without rebuilding the board.
    first = columns_page.locator(".column-editor li").first
    first.get_by_label("Column title").fill("Kenelle <i>tämä</i>")
    first.get_by_role("button", name="Rename").click()
    expect(headings.first).to_have_text("Kenelle <i>tämä</i>", timeout=LIVE)
    expect(anna.locator("#id_card_column option").first).to_have_text(
        "Kenelle <i>tämä</i>"
    )

    # An added column appears and takes cards at once.
    columns_page.get_by_label("Column title", exact=True).last.fill("Parking lot")
    columns_page.get_by_role("button", name="Add", exact=True).click()
    expect(headings).to_have_count(len(before) + 1, timeout=LIVE)
    expect(headings.last).to_have_text("Parking lot")
    anna.get_by_label("Column", exact=True).select_option(label="Parking lot")
    anna.get_by_label("Card text").fill("Later")
    anna.get_by_role("button", name="Add card").click()
    expect(
        anna.locator(".board-column", has_text="Parking lot").locator(".board-card")
    ).to_have_text(re.compile("Later"), timeout=LIVE)

    # Reordering moves the columns (and their cards) for everyone.
    columns_page.get_by_role("button", name="Move “Parking lot” earlier").click()
    expect(headings.nth(len(before) - 1)).to_have_text("Parking lot", timeout=LIVE)
    expect(headings.last).to_have_text(before[-1])
    for c in (fac_context, context):
        c.close()
