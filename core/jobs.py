"""Periodic work: management commands that run every so often, registered once.

Each app registers its jobs in its `AppConfig.ready()`:

    register_job("send_queued_mail", every=timedelta(minutes=1))

In production a scheduler (cron, a systemd timer, Kubernetes CronJob) runs
`manage.py run_jobs` every minute; in the embedded run `make run` keeps
`manage.py run_jobs --loop` beside daphne. Either way `run_jobs` runs each job
that is due, once, even with several runners: a job is claimed by one conditional
UPDATE of its `JobRun` row (due → due again after `every`), which only one runner
can win. `/healthz` reports a job whose last success is older than `stale_after`
(or that never succeeded), so a stopped scheduler is noticed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import JobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    stale_after: timedelta
    command: str
    args: tuple[str, ...] = ()

    def run(self) -> None:
        call_command(self.command, *self.args, verbosity=0)


_jobs: dict[str, Job] = {}


def register_job(
    name: str,
    *,
    every: timedelta,
    stale_after: timedelta | None = None,
    command: str | None = None,
    args: tuple[str, ...] = (),
) -> Job:
    """Run management command `command` (default: `name`) every `every`.

    It counts as stale after `stale_after` without a success (default: three
    periods, and never under ten minutes, so one slow run is not an alarm)."""
    stale_after = stale_after or max(every * 3, timedelta(minutes=10))
    job = Job(name, every, stale_after, command or name, tuple(args))
    _jobs[name] = job
    return job


def registered_jobs() -> dict[str, Job]:
    return dict(_jobs)


def _claim(job: Job, now) -> bool:
    """Take the job if it is due; only one of several runners wins."""
    try:
        with transaction.atomic():
            JobRun.objects.get_or_create(name=job.name, defaults={"next_due_at": now})
    except IntegrityError:  # another runner created it first
        pass
    return bool(
        JobRun.objects.filter(name=job.name, next_due_at__lte=now).update(
            next_due_at=now + job.every, last_started_at=now
        )
    )


def run_due_jobs(*, only: str | None = None, force: bool = False) -> dict[str, str]:
    """Run the jobs that are due (or `only` that one); each job's outcome by name:
    "ok", "failed" or "not due"."""
    outcome: dict[str, str] = {}
    for name, job in sorted(_jobs.items()):
        if only and name != only:
            continue
        now = timezone.now()
        if force:
            JobRun.objects.update_or_create(name=name, defaults={"next_due_at": now})
        if not _claim(job, now):
            outcome[name] = "not due"
            continue
        try:
            job.run()
        except Exception as error:  # noqa: BLE001 - one failing job must not stop the others
            logger.exception("job %s failed", name)
            JobRun.objects.filter(name=name).update(
                last_failed_at=timezone.now(), last_error=repr(error)[:500]
            )
            outcome[name] = "failed"
        else:
            JobRun.objects.filter(name=name).update(
                last_succeeded_at=timezone.now(), last_error=""
            )
            outcome[name] = "ok"
    return outcome


def job_health() -> dict[str, str]:
    """Each registered job: "ok", "stale" (no success within `stale_after`) or
    "never_run"."""
    now = timezone.now()
    last = dict(
        JobRun.objects.filter(name__in=_jobs).values_list("name", "last_succeeded_at")
    )
    health = {}
    for name, job in sorted(_jobs.items()):
        succeeded = last.get(name)
        if succeeded is None:
            health[name] = "never_run"
        elif now - succeeded > job.stale_after:
            health[name] = "stale"
        else:
            health[name] = "ok"
    return health
