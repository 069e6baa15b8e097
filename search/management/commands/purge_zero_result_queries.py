"""Delete the counts of queries that found nothing once they are 90 days old."""

from django.core.management.base import BaseCommand

from search.services import ZERO_RESULT_RETENTION_DAYS, zero_results_purge


class Command(BaseCommand):
    help = (
        "Delete the counts of zero-result queries older than "
        f"{ZERO_RESULT_RETENTION_DAYS} days."
    )

    def handle(self, *args, **options):
        deleted = zero_results_purge()
        if options["verbosity"]:
            self.stdout.write(f"{deleted} removed")
