"""`manage.py import_georeport URL [--city SLUG]`: pull another GeoReport v2
server's public feedback (`feedback/services/imports.py`); `--active` runs every
active source (the periodic job)."""

from django.core.management.base import BaseCommand, CommandError, no_translations

from core.errors import Invalid
from core.models import City
from feedback.models import FeedbackImportSource
from feedback.services.imports import source_import, source_register


def _pair(value: str) -> tuple[str, str]:
    theirs, sep, ours = value.partition("=")
    if not sep or not theirs.strip() or not ours.strip():
        raise CommandError(f"--map wants THEIRS=OURS, not {value!r}")
    return theirs.strip(), ours.strip()


class Command(BaseCommand):
    help = (
        "Import public feedback from another GeoReport v2 (Open311, 6Aika) server: "
        "everything updated since the last run, items held for a handler's check "
        "unless the source is trusted. The first run at a URL registers the source "
        "(give --city)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "url", nargs="?", help="The server's base URL (where requests.json is)."
        )
        parser.add_argument("--city", help="Slug of our city the feedback is for.")
        parser.add_argument("--name", default="", help="The source's name.")
        parser.add_argument("--licence", default="", help="e.g. 'CC BY 4.0'.")
        parser.add_argument(
            "--trusted",
            action="store_true",
            default=None,
            help="Publish its items without a handler's check.",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="THEIRS=OURS",
            help="Map their service code to ours (repeatable).",
        )
        parser.add_argument(
            "--fallback", help="Our service code for items with unmapped codes."
        )
        parser.add_argument(
            "--from-start",
            action="store_true",
            help="Ignore the cursor and read everything again (after a new mapping).",
        )
        parser.add_argument(
            "--active", action="store_true", help="Run every active source."
        )

    @no_translations  # one language in the console: the report is English
    def handle(self, *args, url, active, from_start, **options):
        if bool(url) == bool(active):
            raise CommandError("Give either a URL or --active.")
        if active:
            sources = list(FeedbackImportSource.objects.filter(is_active=True))
        else:
            sources = [self._source(url, options)]
        failed = []
        for source in sources:
            report = source_import(source=source, from_start=from_start)
            self.stdout.write(report.summary())
            if not report.ok:
                failed.append(source.name)
        if failed:
            raise CommandError(f"Import failed: {', '.join(failed)}")

    def _source(self, url: str, options: dict) -> FeedbackImportSource:
        city = None
        if options["city"]:
            city = City.objects.filter(slug=options["city"]).first()
            if city is None:
                raise CommandError(f"No city with the slug {options['city']!r}.")
        try:
            return source_register(
                base_url=url,
                city=city,
                name=options["name"],
                licence=options["licence"],
                trusted=options["trusted"],
                service_map=dict(_pair(value) for value in options["map"]),
                fallback_code=options["fallback"],
            )
        except Invalid as error:
            raise CommandError("; ".join(error.messages)) from error
