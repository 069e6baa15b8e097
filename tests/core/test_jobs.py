"""Periodic jobs: claimed once, run, recorded, and reported by /healthz when stale."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from core import jobs
from core.models import JobRun, OutgoingMail


@pytest.fixture
def only_jobs(monkeypatch):
    """Replace the registry by the jobs a test registers (restored afterwards)."""
    monkeypatch.setattr(jobs, "_jobs", {})
    return jobs


def queue_mail() -> OutgoingMail:
    return OutgoingMail.objects.create(
        to_email="resident@example.test", subject="Vastaus", body="Kaupunki vastasi."
    )


@pytest.mark.django_db
def test_the_core_jobs_are_registered():
    assert {"send_queued_mail", "clearsessions"} <= set(jobs.registered_jobs())


@pytest.mark.django_db
def test_a_due_job_runs_once_until_it_is_due_again(only_jobs):
    only_jobs.register_job("send_queued_mail", every=timedelta(minutes=1))
    queue_mail()

    assert only_jobs.run_due_jobs() == {"send_queued_mail": "ok"}
    assert len(mail.outbox) == 1
    run = JobRun.objects.get(name="send_queued_mail")
    assert run.last_succeeded_at is not None
    assert run.next_due_at > timezone.now()

    queue_mail()
    assert only_jobs.run_due_jobs() == {"send_queued_mail": "not due"}
    assert len(mail.outbox) == 1

    JobRun.objects.update(next_due_at=timezone.now())
    assert only_jobs.run_due_jobs() == {"send_queued_mail": "ok"}
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_two_runners_cannot_both_claim_the_same_round(only_jobs):
    job = only_jobs.register_job("send_queued_mail", every=timedelta(minutes=1))
    now = timezone.now()
    assert only_jobs._claim(job, now) is True
    assert only_jobs._claim(job, now) is False


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_does_not_stop_the_others(only_jobs):
    only_jobs.register_job("broken", every=timedelta(minutes=1), command="no_such")
    only_jobs.register_job("send_queued_mail", every=timedelta(minutes=1))
    queue_mail()

    assert only_jobs.run_due_jobs() == {"broken": "failed", "send_queued_mail": "ok"}
    broken = JobRun.objects.get(name="broken")
    assert broken.last_failed_at is not None
    assert "no_such" in broken.last_error
    assert broken.last_succeeded_at is None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_health_tells_never_run_stale_and_ok(only_jobs):
    only_jobs.register_job("send_queued_mail", every=timedelta(minutes=1))
    assert only_jobs.job_health() == {"send_queued_mail": "never_run"}

    only_jobs.run_due_jobs()
    assert only_jobs.job_health() == {"send_queued_mail": "ok"}

    JobRun.objects.update(last_succeeded_at=timezone.now() - timedelta(minutes=11))
    assert only_jobs.job_health() == {"send_queued_mail": "stale"}


@pytest.mark.django_db
def test_healthz_reports_a_stale_job_as_degraded_but_still_serving(client, only_jobs):
    only_jobs.register_job("send_queued_mail", every=timedelta(minutes=1))
    only_jobs.run_due_jobs()
    assert client.get("/healthz").json()["status"] == "ok"

    JobRun.objects.update(last_succeeded_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["stale_jobs"] == ["send_queued_mail"]
    assert body["jobs"] == {"send_queued_mail": "stale"}


@pytest.mark.django_db
def test_the_command_runs_one_named_job_even_when_not_due(only_jobs, capsys):
    only_jobs.register_job("send_queued_mail", every=timedelta(days=1))
    only_jobs.run_due_jobs()
    queue_mail()

    call_command("run_jobs", job="send_queued_mail")
    assert "send_queued_mail: ok" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_command_names_the_jobs_when_asked_for_an_unknown_one(only_jobs):
    only_jobs.register_job("send_queued_mail", every=timedelta(minutes=1))
    with pytest.raises(
        CommandError, match="No job called 'nope'. Jobs: send_queued_mail"
    ):
        call_command("run_jobs", job="nope")
