"""Every page type, as each kind of visitor sees it, on a desktop and a 375 px phone:
axe-core (WCAG 2.1 A/AA) finds nothing in our templates, the page fits the phone
without sideways scrolling, and the header's, footer's and checkboxes' targets
meet WCAG 2.2's 24 px minimum.

One daphne serves the demo content (`manage.py load_demo`) from a SQLite file;
one browser, one context per visitor and viewport, each logged in through the
login page once."""

import pytest
from playwright.sync_api import expect

from tests import live
from tests.e2e import axe

pytestmark = pytest.mark.e2e

PASSWORD = "palvelupaja-demo"  # noqa: S105 - the demo users' documented password
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": axe.PHONE_WIDTH, "height": 812},
}
USERS = {
    "resident": "resident@palvelupaja.test",
    "facilitator": "facilitator@palvelupaja.test",
    "moderator": "moderator@palvelupaja.test",
    "admin": "admin@palvelupaja.test",
    "handler": "handler@palvelupaja.test",
    "advisor": "advisor@palvelupaja.test",
    "supervisor": "supervisor@palvelupaja.test",
}


@pytest.fixture(scope="module")
def demo_site(demo_site_copy):
    folder, env, demo = demo_site_copy("a11y")
    # Served with DEBUG off, so a missing page is the site's 404 page.
    env["DJANGO_SETTINGS_MODULE"] = "tests.e2e.visitor_settings"
    with live.serving(env, folder) as base:
        yield base, demo


@pytest.fixture(scope="module")
def pages(browser, demo_site):
    """A page per (visitor, viewport), made on first use and kept for the module."""
    base, demo = demo_site
    made = {}

    def get(visitor: str, viewport: str):
        key = (visitor, viewport)
        if key not in made:
            context = browser.new_context(
                viewport=VIEWPORTS[viewport], base_url=base, locale="en-GB"
            )
            # A failed login or join fails its tests quickly, not after 30 s each.
            context.set_default_timeout(10_000)
            page = context.new_page()
            if visitor in USERS:
                page.goto("/en/accounts/login/")
                page.get_by_label("E-mail address").fill(USERS[visitor])
                page.get_by_label("Password").fill(PASSWORD)
                page.locator("main").get_by_role("button", name="Log in").click()
                # Logged in: the header offers the log-out button (in the
                # user's own language, where the login lands them).
                expect(page.locator(".account-nav form")).to_have_count(1)
            elif visitor == "participant":
                page.goto(f"/en/join/{demo['code']}/")
                page.get_by_label("Your name on the board").fill("Tester")
                page.locator("main").get_by_role("button", name="Join").click()
                page.wait_for_load_state()
            made[key] = page
        return made[key]

    yield get
    for page in made.values():
        page.context.close()


def _service(demo):
    return demo["service"]


def _feedback_item(demo) -> str:
    # The list until the demo has feedback items (branch fbdata adds them).
    pk = demo.get("feedback_item")
    return f"/en/feedback/{pk}/" if pk else "/en/feedback/?q=kirjasto"


# (id, visitor, path or a function of the demo's addresses, what axe excludes)
PAGES = [
    ("home-fi", "anonymous", "/", []),
    ("home-sv", "anonymous", "/sv/", []),
    ("home-en", "anonymous", "/en/", []),
    ("city", "anonymous", lambda d: d["city"], []),
    ("planned-service", "resident", _service, []),
    ("dreams", "anonymous", "/en/dreams/", []),
    ("dream", "anonymous", lambda d: f"/en/dreams/{d['dream']}/", []),
    ("dream-new", "resident", "/en/dreams/new/", []),
    ("feedback", "anonymous", "/en/feedback/", []),
    ("feedback-item", "resident", _feedback_item, []),
    ("feedback-new", "anonymous", "/en/feedback/new/", []),
    ("feedback-new-sv", "resident", "/sv/feedback/new/", []),
    ("feedback-track", "anonymous", lambda d: "/en" + d["feedback_track"], []),
    ("join", "anonymous", "/en/join/", []),
    ("login", "anonymous", "/en/accounts/login/", []),
    ("signup", "anonymous", "/en/accounts/signup/", []),
    ("profile", "resident", "/en/accounts/me/", []),
    ("activity", "resident", "/en/accounts/activity/", []),
    ("notifications", "resident", "/en/accounts/notifications/", []),
    ("following", "resident", "/en/accounts/following/", []),
    ("unsubscribe", "anonymous", lambda d: d["unsubscribe"], []),
    ("open-data", "anonymous", "/en/open-data/", []),
    (
        "report-service",
        "anonymous",
        lambda d: f"/en/reports/services/{d['service_id']}/",
        [],
    ),
    ("not-found", "anonymous", "/en/no-such-page/", []),
    (
        "board-participant",
        "participant",
        lambda d: f"/en/workshops/{d['workshop']}/boards/{d['board']}/",
        [],
    ),
    ("workshops", "facilitator", "/en/workshops/", []),
    ("insights", "moderator", "/en/insights/city/helsinki/", []),
    ("workshop", "facilitator", lambda d: f"/en/workshops/{d['workshop']}/", []),
    (
        "board-facilitator",
        "facilitator",
        lambda d: f"/en/workshops/{d['workshop']}/boards/{d['board']}/",
        [],
    ),
    (
        "board-suggest-groups",
        "facilitator",
        lambda d: f"/en/workshops/{d['workshop']}/boards/{d['board']}/suggest-groups/",
        [],
    ),
    ("panels", "anonymous", "/en/panels/", []),
    ("panel", "anonymous", lambda d: f"/en/panels/{d['panel']}/", []),
    ("panel-apply", "resident", lambda d: f"/en/panels/{d['panel']}/apply/", []),
    ("panel-new", "facilitator", "/en/panels/new/", []),
    ("panel-run", "facilitator", lambda d: f"/en/panels/{d['panel']}/manage/", []),
    (
        "board-presenter",
        "facilitator",
        lambda d: f"/en/workshops/{d['workshop']}/boards/{d['board']}/?present=1",
        [],
    ),
    ("insight-themes", "moderator", "/en/insights/themes/", []),
    ("moderation", "moderator", "/admin/discussions/", list(axe.WAGTAIL_CHROME)),
    ("admin", "admin", "/admin/", list(axe.WAGTAIL_CHROME)),
    ("feedback-queue", "handler", "/admin/feedback/", list(axe.WAGTAIL_CHROME)),
    (
        "feedback-handling",
        "handler",
        # The demo's feedback item (tests/live.py), once the demo has feedback.
        lambda d: (
            f"/admin/feedback/{d['feedback']}/"
            if "feedback" in d
            else ("/admin/feedback/overdue/")
        ),
        list(axe.WAGTAIL_CHROME),
    ),
    ("advice-desk", "advisor", "/en/advice/desk/", []),
    ("advice-offline", "advisor", "/en/advice/desk/offline/", []),
    (
        "advice-publish",
        "advisor",
        lambda d: f"/en/advice/desk/chats/{d['advice_chat']}/publish/",
        [],
    ),
    ("advice-supervisor", "supervisor", "/en/advice/desk/supervisor/", []),
    (
        "advice-admin",
        "supervisor",
        "/admin/advice/canned-answers/",
        list(axe.WAGTAIL_CHROME),
    ),
    # Late in the list: the server loads the lemmatiser's dictionaries in the
    # background as it starts (seconds on a busy machine), and a search waits.
    ("search", "anonymous", "/en/search/?q=kirjastoon&date_from=x", []),
    ("search-zero-results", "admin", "/en/search/zero-results/", []),
    ("api-docs", "anonymous", "/api/v1/docs/", []),
    ("api-browsable", "anonymous", "/api/v1/", []),
    ("api-docs-sv", "anonymous", "/sv/api/v1/docs/", []),
    ("api-list", "anonymous", "/api/v1/comments/", []),
]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(
    ("visitor", "path", "exclude"),
    [pytest.param(v, p, e, id=name) for name, v, p, e in PAGES],
)
def test_page_is_accessible(pages, demo_site, visitor, path, exclude, viewport):
    _, demo = demo_site
    page = pages(visitor, viewport)
    url = path(demo) if callable(path) else path
    headers = {"Accept": "text/html"} if url.startswith("/api/") else {}
    page.set_extra_http_headers(headers)
    response = page.goto(url)
    assert response is not None
    if "board" in url and not url.endswith("/suggest-groups/"):  # the live board
        expect(page.locator("#board-app")).to_have_attribute("data-state", "live")
    page.wait_for_load_state("load")
    problems = []
    for check in (
        lambda: axe.assert_axe_clean(page, exclude),
        lambda: axe.assert_target_sizes(page),
        *([lambda: axe.assert_no_sideways_scroll(page)] if viewport == "phone" else []),
    ):
        try:
            check()
        except AssertionError as error:
            problems.append(str(error))
    assert not problems, "\n\n".join(problems)
