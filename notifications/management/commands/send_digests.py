from django.core.management.base import BaseCommand

from notifications.mail import digests_send
from notifications.models import Delivery


class Command(BaseCommand):
    help = (
        "Queue the notification digests (one e-mail per person) in the outbox: "
        "--daily or --weekly. The outbox sends them (send_queued_mail)."
    )

    def add_arguments(self, parser):
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument(
            "--daily", action="store_const", const=Delivery.DAILY, dest="period"
        )
        period.add_argument(
            "--weekly", action="store_const", const=Delivery.WEEKLY, dest="period"
        )

    def handle(self, *args, period: str, **options):
        queued = digests_send(period=period)
        if options["verbosity"]:
            self.stdout.write(f"Queued {queued} {period} digests.")
