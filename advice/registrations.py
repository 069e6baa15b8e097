"""What the advice desk's administration registers at start-up.

`advice.apps.AdviceConfig.ready()` calls `register()` (one line): the retention
job, which `manage.py run_jobs` runs every six hours.
"""

from __future__ import annotations

from datetime import timedelta

RETENTION_JOB = "purge_advice_transcripts"


def register() -> None:
    from core.jobs import register_job  # imports models: not before ready()

    register_job(RETENTION_JOB, every=timedelta(hours=6))
