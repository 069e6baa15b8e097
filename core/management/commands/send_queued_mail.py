from django.core.management.base import BaseCommand

from core.mail import BATCH_SIZE, outbox_send


class Command(BaseCommand):
    help = "Send the queued e-mails (answer notices, replies) in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size: int, **options):
        sent = outbox_send(batch_size=batch_size)
        if options["verbosity"]:  # quiet when run_jobs calls it every minute
            self.stdout.write(f"Sent {sent} e-mails.")
