from django.core.management.base import BaseCommand

from ideas.services import dream_trends_refresh


class Command(BaseCommand):
    help = (
        "Recount every dream's supports in the trending window (run hourly as the "
        "window moves on)."
    )

    def handle(self, *args, **options):
        changed = dream_trends_refresh()
        if options["verbosity"]:  # quiet when run_jobs calls it every hour
            self.stdout.write(f"Trend changed for {changed} dreams.")
