"""The card markup is defined once (workshops/includes/board_card.html): the server
renders it for browsers without JavaScript, and the board's script fills a copy of
it from the page's <template>. Both must give the same card."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

LIVE = 1000

# Each card's outerHTML, with the script-only controls (and drag handle) shown
# and enabled (without JavaScript they stay hidden, with it they follow the
# viewer's permissions).
CARDS = """() => [...document.querySelectorAll("#board .board-card")].map((li) => {
  const copy = li.cloneNode(true);
  const actions = copy.querySelector('[data-slot="actions"]');
  const grip = copy.querySelector('[data-slot="grip"]');
  for (const el of [actions, grip, ...actions.querySelectorAll("[hidden]")]) {
    el.removeAttribute("hidden");
  }
  for (const el of copy.querySelectorAll("[disabled]")) el.removeAttribute("disabled");
  return copy.outerHTML;
})"""


def facilitator_page(browser, base, seeded, **options):
    context = browser.new_context(**options)
    context.add_cookies(
        [{"name": "sessionid", "value": seeded["facilitator_session"], "url": base}]
    )
    return context, context.new_page()


def test_live_cards_match_the_server_rendering(browser, live_server_url):
    base, seeded = live_server_url
    url = f"{base}/en/workshops/{seeded['workshop']}/boards/{seeded['board']}/"
    context, fac = facilitator_page(browser, base, seeded)
    errors = []
    fac.on("pageerror", lambda error: errors.append(error))
    fac.goto(url)
    expect(fac.locator("#board-app")).to_have_attribute("data-state", "live")

    def add(text):
        fac.get_by_label("Card text").fill(text)
        fac.get_by_role("button", name="Add card").click()
        card = fac.locator(".board-card", has_text=text)
        expect(card).to_be_visible(timeout=LIVE)
        return card

    bench = add("Bench by the library & “pier”, 2 < 3")
    bench.get_by_text("More", exact=True).click()
    bench.get_by_label("Cluster").fill("Benches")
    bench.locator('[data-form="group"]').get_by_role("button", name="Save").click()
    meta = bench.locator(".board-card__meta")
    expect(meta).to_contain_text("Benches", timeout=LIVE)
    fac.get_by_label("Phase").select_option("vote")
    fac.get_by_role("button", name="Set phase").click()
    vote = bench.get_by_role("button", name="+1 Vote", exact=True)
    expect(vote).to_be_enabled(timeout=LIVE)
    vote.click()
    expect(meta).to_contain_text("1 vote", timeout=LIVE)
    expect(meta).not_to_contain_text("1 votes")

    # A card that became a dream links to it and is not offered again.
    sauna = add("Sauna on the shore")
    sauna.get_by_role("link", name="Turn into a dream").click()
    fac.get_by_role("button", name="Publish as a service dream").click()
    expect(fac.locator("#board-app")).to_have_attribute("data-state", "live")
    sauna = fac.locator(".board-card", has_text="Sauna on the shore")
    became = sauna.get_by_role("link", name=re.compile(r"^Became dream #\d+$"))
    expect(became).to_be_visible()
    expect(sauna.get_by_role("link", name="Turn into a dream")).to_have_count(0)
    expect(bench.get_by_role("link", name="Turn into a dream")).to_be_visible()

    live = fac.evaluate(CARDS)
    assert len(live) == 2
    assert errors == []

    static_context, static = facilitator_page(
        browser, base, seeded, java_script_enabled=False
    )
    static.goto(url)
    assert static.evaluate(CARDS) == live
    for c in (context, static_context):
        c.close()
