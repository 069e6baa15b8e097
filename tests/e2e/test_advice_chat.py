"""A resident on the dream form asks through the chat button; an advisor in
another browser answers at the desk, live both ways. The advice pages and the
desk are axe-clean at 375 px and do not scroll sideways."""

import json
import subprocess

import pytest
from playwright.sync_api import expect

from tests import live
from tests.e2e import axe

pytestmark = pytest.mark.e2e

LIVE = 3000  # ms: generous on a busy two-core machine; the bench measures speed
PHONE = {"width": axe.PHONE_WIDTH, "height": 800}

# An open desk in Helsinki, an available advisor for English and Finnish, a
# supervisor and a resident, each with a session (tests/live.py's sessions).
SEED = """
import datetime, json
from accounts.models import Role, User
from accounts.services import role_grant
from advice.models import AdvisorLanguage, AdvisorProfile, OpeningHours
from core.models import City
from tests.live import _session_for

city, _ = City.objects.get_or_create(slug="helsinki", defaults={"name_fi": "Helsinki"})
for weekday in range(7):
    OpeningHours.objects.create(
        city=city, weekday=weekday, opens=datetime.time(0, 0),
        closes=datetime.time(23, 59, 59, 999999),
    )
def person(email, name):
    return User.objects.create_user(email, "correct horse battery", display_name=name)
adviser = person("neuvoja@example.org", "Neuvoja")
role_grant(user=adviser, city=city, role=Role.ADVISOR)
profile = AdvisorProfile.objects.create(
    user=adviser, display_name="Aino", status="available"
)
for code in ("en", "fi"):
    AdvisorLanguage.objects.create(advisor=profile, language=code)
boss = person("esihenkilo@example.org", "Esihenkilö")
role_grant(user=boss, city=city, role=Role.ADVICE_SUPERVISOR)
resident = person("asukas@example.org", "Asukas")
print(json.dumps({
    "advisor": _session_for(user=adviser),
    "supervisor": _session_for(user=boss),
    "resident": _session_for(user=resident),
}))
"""


@pytest.fixture(scope="module")
def advice_site(migrated_site):
    folder, env = migrated_site("advice-e2e")
    out = subprocess.run(  # noqa: S603 - our own manage.py
        [live.PYTHON, "manage.py", "shell", "-c", SEED],
        cwd=live.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    sessions = json.loads(out.stdout.strip().splitlines()[-1])
    with live.serving(env, folder) as base:
        yield base, sessions


def _as(browser, base, session):
    context = browser.new_context(viewport=PHONE, base_url=base, locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return context, context.new_page()


def _clean(page):
    axe.assert_axe_clean(page)
    axe.assert_no_sideways_scroll(page)


def test_resident_on_the_dream_form_asks_and_an_advisor_answers(browser, advice_site):
    base, sessions = advice_site
    resident_context, resident = _as(browser, base, sessions["resident"])
    advisor_context, desk = _as(browser, base, sessions["advisor"])
    try:
        resident.goto("/en/dreams/new/")
        title = resident.locator("form input[type=text]").first
        title.fill("A library bus for Jätkäsaari")

        # The chat button opens the chat in place, focus in the panel.
        button = resident.get_by_role("link", name="Ask an advisor")
        button.click()
        panel = resident.get_by_role("dialog", name="Ask an advisor")
        expect(panel).to_be_visible()
        expect(panel.get_by_label("City")).to_be_visible()
        _clean(resident)
        panel.get_by_label("City").select_option("helsinki")
        panel.get_by_label("Language of the chat").select_option("en")
        panel.get_by_label("Your question").fill("How do I apply for a permit?")
        panel.get_by_role("button", name="Start the chat").click()
        expect(panel.locator("[data-part=connection]")).to_contain_text(
            "Live", timeout=LIVE
        )
        expect(panel.locator("[data-part=status]")).to_have_text("Waiting in the queue")
        expect(panel.locator("[data-part=position]")).to_have_text("1")
        _clean(resident)
        # The dream form is untouched underneath.
        assert resident.url.endswith("/en/dreams/new/")
        expect(title).to_have_value("A library bus for Jätkäsaari")

        # The advisor sees it in the queue with the page it came from, live.
        desk.goto("/en/advice/desk/")
        expect(desk.locator("[data-desk=connection]")).to_have_text(
            "Live", timeout=LIVE
        )
        expect(desk.locator("[data-desk=queue]")).to_contain_text("/en/dreams/new/")
        _clean(desk)
        desk.get_by_role("button", name="Accept the next").click()
        expect(desk.locator(".advice-message--resident")).to_contain_text(
            "How do I apply for a permit?"
        )
        expect(desk.locator("[data-desk=connection]")).to_have_text(
            "Live", timeout=LIVE
        )
        _clean(desk)

        # Accepted: the resident sees the advisor's name, then the answer.
        expect(panel.locator("[data-part=advisor]")).to_have_text("Aino", timeout=LIVE)
        desk.get_by_label("Your message", exact=True).fill(
            "Hello! See https://migri.fi <b>now</b>"
        )
        desk.get_by_role("button", name="Send", exact=True).click()
        answer = panel.locator(".advice-message--advisor")
        expect(answer).to_contain_text("See https://migri.fi <b>now</b>", timeout=LIVE)
        link = answer.get_by_role("link", name="https://migri.fi")
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
        expect(answer.locator("b")).to_have_count(0)
        expect(panel.locator("[data-part=announcer]")).to_contain_text("Aino")

        # The resident answers from the panel; the desk gets it live.
        panel.get_by_label("Your message", exact=True).fill("Thank you")
        panel.get_by_role("button", name="Send", exact=True).click()
        expect(
            desk.locator(".advice-message--resident .advice-message__text").last
        ).to_have_text("Thank you", timeout=LIVE)
        expect(panel.locator(".advice-message")).to_have_count(3)

        # Escape closes the panel and gives the focus back to the button.
        panel.get_by_label("Your message", exact=True).press("Escape")
        expect(panel).to_be_hidden()
        expect(button).to_be_focused()
        expect(title).to_have_value("A library bus for Jätkäsaari")
    finally:
        resident_context.close()
        advisor_context.close()


def test_advice_pages_without_javascript_and_axe_clean(browser, advice_site):
    base, sessions = advice_site
    # The advisor closed the desk at the end of the live test, which made them
    # away: back at the desk (without JavaScript), they say they are available.
    desk = browser.new_context(base_url=base, locale="en-GB", java_script_enabled=False)
    desk.add_cookies([{"name": "sessionid", "value": sessions["advisor"], "url": base}])
    try:
        at_desk = desk.new_page()
        at_desk.goto("/en/advice/desk/")
        at_desk.get_by_label("Aino is").select_option("available")
        at_desk.get_by_role("button", name="Save").click()
        expect(at_desk.get_by_label("Aino is")).to_have_value("available")
    finally:
        desk.close()
    context = browser.new_context(
        viewport=PHONE, base_url=base, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/en/advice/")
        page.get_by_label("City").select_option("helsinki")
        page.get_by_label("Language of the chat").select_option("fi")
        page.get_by_label("Your question").fill("مرحبا، كيف أجد سكنًا؟")
        page.get_by_role("button", name="Start the chat").click()
        expect(page.locator(".advice-message__text")).to_have_text(
            "مرحبا، كيف أجد سكنًا؟"
        )
        page.get_by_label("Your message", exact=True).fill("Still here")
        page.get_by_role("button", name="Send", exact=True).click()
        expect(page.locator(".advice-message")).to_have_count(2)
        page.get_by_role("button", name="End the chat").click()
        expect(page.get_by_text("How useful was the chat?")).to_be_visible()
    finally:
        context.close()
    # The same pages with JavaScript, axe-clean at 375 px.
    context, page = _as(browser, base, sessions["resident"])
    try:
        page.goto("/en/advice/")
        _clean(page)
        page.get_by_label("City").select_option("any")
        page.get_by_label("Language of the chat").select_option("en")
        page.get_by_label("Your question").fill("Where is the library?")
        page.get_by_role("button", name="Start the chat").click()
        expect(page.locator("[data-part=connection]")).to_contain_text(
            "Live", timeout=LIVE
        )
        _clean(page)
    finally:
        context.close()
    context, page = _as(browser, base, sessions["supervisor"])
    try:
        page.goto("/en/advice/desk/supervisor/")
        expect(page.locator("[data-desk=connection]")).to_have_text(
            "Live", timeout=LIVE
        )
        expect(page.locator("[data-desk=queues]")).to_contain_text("English")
        _clean(page)
    finally:
        context.close()
