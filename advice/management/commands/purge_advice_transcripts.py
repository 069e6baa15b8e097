from django.core.management.base import BaseCommand

from advice.services.retention import transcripts_purge


class Command(BaseCommand):
    help = (
        "Delete the transcripts (messages, notes, e-mail address, rating comment, "
        "opening page) of chats that ended longer ago than their city's retention "
        "period; the chats stay as anonymous statistics."
    )

    def handle(self, *args, **options):
        purged = transcripts_purge()
        if options["verbosity"]:  # quiet when run_jobs calls it
            self.stdout.write(f"Transcripts deleted from {purged} chats.")
