"""A daphne subprocess on a seeded SQLite file, and Debian's Chromium."""

import os
import shutil

import pytest

from tests import live

CHROMIUM = live.CHROMIUM
CHROMIUM_FLAGS = live.CHROMIUM_FLAGS


@pytest.fixture(scope="module", autouse=True)
def _once_per_ci_run():
    """These tests serve the embedded default (a SQLite file, the in-memory layer)
    whatever the pass, so the PostgreSQL pass would only repeat them: they run in
    the SQLite pass. (Browser tests on the test database, such as the comment
    form's, run in both.)"""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("served on SQLite whatever the pass: run in the SQLite pass")


@pytest.fixture(scope="module")
def live_server_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    env = live.server_env(f"sqlite:///{folder / 'db.sqlite3'}")
    live.migrate(env)
    seeded = live.seed(env, participants=0)
    with live.serving(env, folder) as base:
        yield base, seeded


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API keeps an event loop running in this
    # thread while it lives, which async tests elsewhere cannot share.
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is required for the e2e tests ({CHROMIUM}).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()
