"""Transcripts go after the city's period, by the job and at read time; the
chat stays as anonymous statistics."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from advice.models import (
    AdviceCitySettings,
    Chat,
    ChatEvent,
    ChatMessage,
    ChatNote,
    ChatStatus,
)
from advice.registrations import RETENTION_JOB, register
from advice.retention import transcript_expired
from advice.services.retention import transcripts_purge
from core.jobs import registered_jobs, run_due_jobs
from tests.advice.ops_factories import TopicFactory, advisor_make, chat_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def advisor(city):
    return advisor_make(city=city)


def _transcript(chat) -> tuple[int, int, int]:
    return (
        ChatMessage.objects.filter(chat=chat).count(),
        ChatEvent.objects.filter(chat=chat).count(),
        ChatNote.objects.filter(chat=chat).count(),
    )


def test_an_old_transcript_goes_and_the_statistics_stay(city, advisor):
    topic = TopicFactory()
    old = chat_make(
        city=city,
        advisor=advisor,
        topic=topic,
        ended_days_ago=91,
        rating=4,
        rating_comment="Kiitos, Matti Meikäläinen 040 1234567",
    )
    closed_at, language = old.closed_at, old.language
    assert _transcript(old) == (2, 2, 1)

    assert transcripts_purge() == 1

    old.refresh_from_db()
    assert _transcript(old) == (0, 0, 0)
    assert (old.email, old.rating_comment, old.origin_path) == ("", "", "")
    assert old.transcript_purged_at is not None
    # What statistics read is untouched.
    assert (old.rating, old.topic, old.language, old.city) == (4, topic, language, city)
    assert old.closed_at == closed_at and old.status == ChatStatus.CLOSED
    assert old.accepted_at is not None and old.queued_at is not None


def test_a_recent_transcript_stays(city, advisor):
    recent = chat_make(city=city, advisor=advisor, ended_days_ago=89)
    assert transcripts_purge() == 0
    recent.refresh_from_db()
    assert _transcript(recent) == (2, 2, 1)
    assert recent.email and recent.transcript_purged_at is None


def test_the_city_sets_the_period(city, other_city, advisor):
    AdviceCitySettings.objects.create(city=city, transcript_retention_days=7)
    short = chat_make(city=city, advisor=advisor, ended_days_ago=8)
    kept = chat_make(city=other_city, ended_days_ago=8, advisor=None)
    assert transcripts_purge() == 1
    short.refresh_from_db()
    kept.refresh_from_db()
    assert short.transcript_purged_at and not kept.transcript_purged_at


def test_any_city_chats_use_the_default_period(advisor):
    old = chat_make(city=None, advisor=advisor, ended_days_ago=91)
    young = chat_make(city=None, advisor=advisor, ended_days_ago=80)
    assert transcripts_purge() == 1
    assert Chat.objects.get(pk=old.pk).transcript_purged_at is not None
    assert Chat.objects.get(pk=young.pk).transcript_purged_at is None


def test_offline_questions_count_from_the_answer_then_the_last_change(city):
    answered = chat_make(city=city, status=ChatStatus.OFFLINE, ended_days_ago=None)
    Chat.objects.filter(pk=answered.pk).update(
        status=ChatStatus.CLOSED,
        answered_by_email_at=timezone.now() - timedelta(days=100),
        updated_at=timezone.now() - timedelta(days=100),
    )
    waiting = chat_make(city=city, status=ChatStatus.OFFLINE, ended_days_ago=None)
    assert transcripts_purge() == 1
    assert Chat.objects.get(pk=answered.pk).transcript_purged_at is not None
    assert Chat.objects.get(pk=waiting.pk).transcript_purged_at is None


def test_an_offline_question_left_unanswered_ends_with_its_address(city):
    forgotten = chat_make(city=city, status=ChatStatus.OFFLINE, ended_days_ago=None)
    Chat.objects.filter(pk=forgotten.pk).update(
        updated_at=timezone.now() - timedelta(days=91)
    )
    assert transcripts_purge() == 1
    forgotten.refresh_from_db()
    assert (forgotten.status, forgotten.email) == (ChatStatus.CLOSED, "")
    assert forgotten.answered_by_email_at is None


def test_running_again_changes_nothing(city, advisor):
    chat_make(city=city, advisor=advisor, ended_days_ago=91)
    assert transcripts_purge() == 1
    purged_at = Chat.objects.get().transcript_purged_at
    assert transcripts_purge() == 0
    assert Chat.objects.get().transcript_purged_at == purged_at


def test_a_missed_job_still_never_shows_an_old_transcript(city, advisor):
    # The job never ran: the rows are there, yet every read refuses them.
    old = chat_make(city=city, advisor=advisor, ended_days_ago=91)
    assert _transcript(old) == (2, 2, 1)
    assert transcript_expired(old)
    AdviceCitySettings.objects.create(city=city, transcript_retention_days=365)
    assert not transcript_expired(Chat.objects.get(pk=old.pk))


def test_the_batches_cover_a_long_backlog(city, advisor, monkeypatch):
    monkeypatch.setattr("advice.services.retention.BATCH_SIZE", 2)
    chats = [chat_make(city=city, advisor=advisor, ended_days_ago=95) for _ in range(5)]
    assert transcripts_purge() == 5
    assert not ChatMessage.objects.filter(chat__in=chats).exists()


def test_the_command_and_the_job(city, advisor):
    chat_make(city=city, advisor=advisor, ended_days_ago=91)
    out = StringIO()
    call_command("purge_advice_transcripts", stdout=out)
    assert "Transcripts deleted from 1 chats." in out.getvalue()

    register()
    assert registered_jobs()[RETENTION_JOB].every == timedelta(hours=6)
    chat_make(city=city, advisor=advisor, ended_days_ago=92)
    assert run_due_jobs(only=RETENTION_JOB, force=True) == {RETENTION_JOB: "ok"}
    assert not Chat.objects.filter(transcript_purged_at__isnull=True).exists()
