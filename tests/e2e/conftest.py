"""A daphne subprocess on a seeded SQLite file, and Debian's Chromium."""

import os
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from tests import live

CHROMIUM = live.CHROMIUM
CHROMIUM_FLAGS = live.CHROMIUM_FLAGS


@pytest.fixture(scope="session", autouse=True)
def _once_per_ci_run():
    """These tests serve the embedded default (a SQLite file, the in-memory layer)
    whatever the pass, so the PostgreSQL pass would only repeat them: they run in
    the SQLite pass. (Browser tests on the test database, such as the comment
    form's, run in both.) Session-scoped, so that it skips before the session's
    servers are prepared."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("served on SQLite whatever the pass: run in the SQLite pass")


def _copy_of(template: Path, folder: Path) -> dict:
    """Copy the SQLite file `template` into `folder`; the server environment on
    the copy. (SQLite's backup copies a consistent database whatever its journal.)"""
    with (
        closing(sqlite3.connect(template)) as source,
        closing(sqlite3.connect(folder / "db.sqlite3")) as copy,
    ):
        source.backup(copy)
    return live.server_env(f"sqlite:///{folder / 'db.sqlite3'}")


@pytest.fixture(scope="session")
def migrated_site(tmp_path_factory) -> Callable[[str], tuple[Path, dict]]:
    """`make(name)`: a new folder holding a migrated SQLite file, and the server
    environment on it. The migrations run once per session (about 20 s each
    time); every module's server starts from its own copy of the result."""
    template = tmp_path_factory.mktemp("e2e-migrated") / "db.sqlite3"
    live.migrate(live.server_env(f"sqlite:///{template}"))

    def make(name: str) -> tuple[Path, dict]:
        folder = tmp_path_factory.mktemp(name)
        return folder, _copy_of(template, folder)

    return make


@pytest.fixture(scope="session")
def demo_site_copy(
    tmp_path_factory, migrated_site
) -> Callable[[str], tuple[Path, dict, dict]]:
    """`make(name)`: like `migrated_site`, with the demo content loaded (once per
    session), and the demo's addresses (`live.load_demo`), the same in every copy."""
    folder, env = migrated_site("e2e-demo")
    demo = live.load_demo(env)

    def make(name: str) -> tuple[Path, dict, dict]:
        copy = tmp_path_factory.mktemp(name)
        return copy, _copy_of(folder / "db.sqlite3", copy), demo

    return make


@pytest.fixture(scope="module")
def live_server_url(migrated_site):
    folder, env = migrated_site("e2e")
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
