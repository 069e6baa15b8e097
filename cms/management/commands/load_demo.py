"""`manage.py load_demo`: the demo site for two cities, in three languages.

Idempotent: everything is looked up by a stable key (city slug, page slug under
its parent, translation of a page, e-mail address) and created only when missing,
so running it again creates nothing and never overwrites an editor's changes.
After the site itself, each app's `<app>/demo.py` `load(...)` adds its own demo
content (see DESIGN.md and notes/common.md for the signature). The loading is in
the `cms.demo` package; this command only runs it.
"""

import logging
from contextlib import contextmanager

from django.core.management.base import BaseCommand

from cms import demo
from cms.models import HomePage


@contextmanager
def _quiet(enabled: bool):
    """Hush the per-page log lines (tasks, page actions) unless -v 2 is given."""
    loggers = [logging.getLogger(name) for name in ("django_tasks", "wagtail")]
    levels = [logger.level for logger in loggers]
    if enabled:
        for logger in loggers:
            logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the demo site: Helsinki and Turku with their pages in Finnish, "
        "Swedish and English, the privacy notice, house rules, accessibility "
        "statement and open data pages, one user per role, and each app's demo "
        "content. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has a home page (first start).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and HomePage.objects.exists():
            self.stdout.write("Demo content is already loaded; nothing to do.")
            return
        with _quiet(options["verbosity"] < 2):
            created = demo.load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready ({created} site objects created). "
                f"Demo users, password “{demo.DEMO_PASSWORD}”: "
                + ", ".join(email for email, *_ in demo.DEMO_USERS.values())
            )
        )
