"""`manage.py refresh_insights [--full]`: bring insight's rollups up to date."""

from django.core.management.base import BaseCommand

from insights.rollups import refresh


class Command(BaseCommand):
    help = (
        "Rebuild insight's rollups for the months whose contributions changed "
        "since the last run (and the current month); --full rebuilds every month."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--full", action="store_true", help="Rebuild every month from scratch."
        )

    def handle(self, *args, full: bool = False, **options) -> None:
        months = refresh(full=full)
        if options["verbosity"]:
            self.stdout.write(f"Rebuilt {len(months)} month(s).")
