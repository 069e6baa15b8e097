import time

from django.core.management.base import BaseCommand, CommandError

from core.jobs import registered_jobs, run_due_jobs


class Command(BaseCommand):
    help = (
        "Run the periodic jobs that are due (e-mail, retention, …). A scheduler "
        "calls this every minute; --loop keeps calling it (the embedded run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between rounds."
        )
        parser.add_argument("--job", help="Run only this job, due or not.")

    def handle(self, *args, loop: bool, interval: float, job: str | None, **options):
        if job and job not in registered_jobs():
            names = ", ".join(sorted(registered_jobs()))
            raise CommandError(f"No job called {job!r}. Jobs: {names}")
        while True:
            for name, outcome in run_due_jobs(only=job, force=bool(job)).items():
                if outcome != "not due":
                    self.stdout.write(f"{name}: {outcome}")
            if not loop:
                return
            time.sleep(interval)
