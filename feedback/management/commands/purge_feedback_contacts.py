from django.core.management.base import BaseCommand

from feedback.services.retention import contacts_purge


class Command(BaseCommand):
    help = (
        "Delete the contact details (e-mail, names, phone) of feedback closed longer "
        "ago than its city's retention period."
    )

    def handle(self, *args, **options):
        purged = contacts_purge()
        if options["verbosity"]:  # quiet when run_jobs calls it
            self.stdout.write(f"Contact details deleted from {purged} feedback items.")
