"""The transcript by e-mail: only to the address given at the start, through the
outbox, in the interface language, plain text, rate limited, never after
retention."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from advice.models import AdviceCitySettings, Chat, ChatStatus
from advice.services.transcripts import (
    TRANSCRIPTS_PER_ADDRESS_PER_HOUR,
    transcript_send,
)
from core.errors import Invalid, RateLimited
from core.mail import outbox_send
from core.models import OutgoingMail
from tests.advice.ops_factories import TopicFactory, advisor_make, chat_make

pytestmark = pytest.mark.django_db


def _last():
    """The last e-mail, once the outbox is sent (after commit on the site)."""
    outbox_send()
    return mail.outbox[-1]


@pytest.fixture
def advisor(city):
    return advisor_make(city=city, name="Aino <i>")


@pytest.fixture
def chat(city, advisor):
    return chat_make(
        city=city,
        advisor=advisor,
        topic=TopicFactory(name_fi="Oleskelulupa", name_en="Residence permits"),
        email="asukas@example.org",
        texts=("Miten haen <b>oleskelulupaa</b>?",),
        answers=("Katso https://migri.fi/ & kysy lisää.",),
    )


def test_the_transcript_goes_to_the_address_given_at_the_start(chat):
    with translation.override("en"):
        transcript_send(chat=chat)
    sent = _last()
    assert sent.to == ["asukas@example.org"]
    assert sent.subject == "Your conversation with the advice desk"
    assert "Residence permits" in sent.body
    # Plain text exactly as typed: nothing escaped, nothing interpreted.
    assert "Miten haen <b>oleskelulupaa</b>?" in sent.body
    assert "Katso https://migri.fi/ & kysy lisää." in sent.body
    assert "&lt;" not in sent.body and "&amp;" not in sent.body
    assert "You:" in sent.body and "Aino <i>:" in sent.body
    assert chat.transcripts_sent == 1
    assert Chat.objects.get(pk=chat.pk).transcripts_sent == 1


def test_written_in_the_interface_language(chat):
    with translation.override("sv"):
        transcript_send(chat=chat)
    assert _last().subject == "Ditt samtal med rådgivningen"
    with translation.override("fi"):
        transcript_send(chat=chat)
    assert _last().subject == "Keskustelusi neuvonnan kanssa"


def test_a_chat_in_another_language_gets_the_interface_language(city, advisor):
    chat = chat_make(city=city, advisor=advisor, language="ru")
    with translation.override("de"):  # not an interface language: Finnish
        transcript_send(chat=chat)
    assert _last().subject == "Keskustelusi neuvonnan kanssa"


def test_nothing_is_sent_after_retention(city, advisor):
    old = chat_make(city=city, advisor=advisor, ended_days_ago=91)
    with pytest.raises(Invalid) as refused:
        transcript_send(chat=old)
    assert refused.value.code == "expired"
    AdviceCitySettings.objects.create(city=city, transcript_retention_days=3)
    recent = chat_make(city=city, advisor=advisor, ended_days_ago=4)
    with pytest.raises(Invalid):
        transcript_send(chat=recent)
    assert not OutgoingMail.objects.exists() and not mail.outbox


def test_without_an_address_or_before_the_end_nothing_is_sent(city, advisor):
    nameless = chat_make(city=city, advisor=advisor, email="")
    with pytest.raises(Invalid) as refused:
        transcript_send(chat=nameless)
    assert refused.value.code == "no_email"
    going = chat_make(
        city=city, advisor=advisor, status=ChatStatus.ACTIVE, ended_days_ago=None
    )
    with pytest.raises(Invalid) as refused:
        transcript_send(chat=going)
    assert refused.value.code == "not_ended"
    blocked = chat_make(city=city, advisor=advisor)
    Chat.objects.filter(pk=blocked.pk).update(blocked=True)
    with pytest.raises(Invalid):
        transcript_send(chat=blocked)
    assert not OutgoingMail.objects.exists()


def test_rate_limited_per_chat_and_per_address(city, advisor, chat):
    for _ in range(3):
        transcript_send(chat=chat)
    with pytest.raises(RateLimited):
        transcript_send(chat=chat)
    assert OutgoingMail.objects.count() == 3
    assert Chat.objects.get(pk=chat.pk).transcripts_sent == 3
    # Other chats of the same address share the address's hourly limit.
    others = [
        chat_make(city=city, advisor=advisor, email="ASUKAS@example.org")
        for _ in range(3)
    ]
    sent = 3
    with pytest.raises(RateLimited):
        for other in others:
            transcript_send(chat=other)
            sent += 1
    assert sent == TRANSCRIPTS_PER_ADDRESS_PER_HOUR


def test_a_purged_chat_is_refused_even_with_a_long_period(city, advisor, chat):
    Chat.objects.filter(pk=chat.pk).update(transcript_purged_at=timezone.now())
    chat.refresh_from_db()
    with pytest.raises(Invalid):
        transcript_send(chat=chat)


def test_the_retention_starts_from_the_end(city, advisor):
    chat = chat_make(city=city, advisor=advisor, ended_days_ago=89)
    transcript_send(chat=chat)
    Chat.objects.filter(pk=chat.pk).update(
        closed_at=timezone.now() - timedelta(days=90, seconds=1)
    )
    chat.refresh_from_db()
    with pytest.raises(Invalid):
        transcript_send(chat=chat)
