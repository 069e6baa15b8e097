"""The ES module: likes and replies without a page reload, in a real browser."""

import shutil

import pytest
from django.db import connections

from core.actors import Actor
from discussions import services
from discussions.models import Comment
from participation import services as participation_services
from tests import live
from tests.participation.factories import make_service

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    if not shutil.which(live.CHROMIUM):
        pytest.fail(f"Chromium is required for the browser tests ({live.CHROMIUM}).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # live server makes are still synchronous. Scoped to this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=live.CHROMIUM, args=live.CHROMIUM_FLAGS
        )
        context = browser.new_context()
        yield context
        context.close()
        browser.close()


def test_like_and_reply_without_reload(live_server, browser_page, city_page, client):
    from tests.factories import UserFactory

    service = make_service(city_page)
    threads = participation_services.service_discussions_sync(page=service)
    author = UserFactory(display_name="Kirjoittaja")
    comment = services.comment_create(
        discussion=threads[service.discussion_key],
        participant=Actor(user=author),
        text="Ensimmäinen kommentti",
    )
    reader = UserFactory(display_name="Lukija")
    client.force_login(reader)
    session = client.cookies["sessionid"].value
    browser_page.add_cookies(
        [{"name": "sessionid", "value": session, "url": live_server.url}]
    )
    page = browser_page.new_page()
    page.goto(live_server.url + service.url)
    page.evaluate("window.__noReload = true")
    like = page.locator(f"#comment-{comment.pk} [data-comments-like] button")
    like.click()
    from playwright.sync_api import expect

    expect(page.locator(f"#comment-{comment.pk} [data-like-count]").first).to_have_text(
        "1"
    )
    assert like.get_attribute("aria-pressed") == "true"
    page.locator(f"#comment-{comment.pk} summary").first.click()
    page.fill(f"#reply-{comment.pk}-text", "Vastaus ilman latausta")
    page.locator(f"#comment-{comment.pk} [data-comments-reply] button").click()
    page.wait_for_selector(f"[data-replies-for='{comment.pk}'] .comment--reply")
    assert "Vastaus ilman latausta" in page.inner_text(
        f"[data-replies-for='{comment.pk}']"
    )
    assert page.evaluate("window.__noReload") is True
    assert Comment.objects.filter(parent=comment).count() == 1
    # This body's queries ran beside Playwright's event loop, in a context that the
    # database teardown does not see: close them here, or PostgreSQL refuses to drop
    # the test database ("being accessed by other users").
    connections.close_all()
