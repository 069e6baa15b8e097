"""`manage.py refresh_themes [--city SLUG]`: recompute the themes (the daily job)."""

from django.core.management.base import BaseCommand, CommandError, no_translations

from core.models import City
from insights.themes.services import themes_refresh


class Command(BaseCommand):
    help = (
        "Group the texts of comments, dreams, cards and feedback into themes again, "
        "per city and scope, keeping staff names, hiding and merges."
    )

    def add_arguments(self, parser):
        parser.add_argument("--city", help="Slug of one city (default: every city).")

    @no_translations  # one language in the console: the report is English
    def handle(self, *args, city=None, **options):
        chosen = None
        if city:
            chosen = City.objects.filter(slug=city).first()
            if chosen is None:
                raise CommandError(f"No city {city!r}.")
        for slug, count in themes_refresh(chosen).items():
            self.stdout.write(f"{slug}: {count} themes")
