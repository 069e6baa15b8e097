"""The transcript of a chat by e-mail, to the resident who started it.

Only ever to the address given at the start (`Chat.email`): nobody can type
another one here, so the desk's mail cannot be pointed at a stranger. Sent
through the outbox (`core.mail`) after commit, as plain text in the interface
language, rate limited per chat and per address, and never once the transcript
is past its city's retention period (`advice.retention.transcript_expired`).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advice.languages import language_name
from advice.models import Author, Chat, ChatMessage, ChatStatus
from advice.retention import transcript_expired
from core.errors import Invalid
from core.locking import lock_row
from core.mail import outbox_kick
from core.models import OutgoingMail
from core.ratelimit import check_rate

__all__ = ["TRANSCRIPTS_PER_ADDRESS_PER_HOUR", "transcript_send"]

# A resident may ask again (a typo in the spam filter, another device), but the
# desk's mail must not become a way to flood an inbox.
TRANSCRIPTS_PER_CHAT_PER_HOUR = 3
TRANSCRIPTS_PER_ADDRESS_PER_HOUR = 5
TRANSCRIPTS_PER_CHAT = 10


def interface_language(chat: Chat) -> str:
    """The language to write to the resident in: the interface language they
    use now (the request's), else the chat's when the interface has it."""
    interface = dict(settings.LANGUAGES)
    active = translation.get_language()
    if active in interface:
        return active
    return chat.language if chat.language in interface else settings.LANGUAGE_CODE


def _lines(chat: Chat) -> list[dict]:
    names = {
        Author.RESIDENT: _("You"),
        Author.SYSTEM: _("Advice desk"),
    }
    return [
        {
            "at": timezone.localtime(message.sent_at),
            "name": message.name or names.get(message.author) or _("Advisor"),
            "text": message.text,
        }
        for message in ChatMessage.objects.filter(chat=chat).order_by("id")
    ]


@transaction.atomic
def transcript_send(*, chat: Chat) -> None:
    """Queue the transcript of `chat` to its own address; refuses (writing
    nothing) without an address, before the end, after retention, or too often."""
    language = interface_language(chat)
    locked = lock_row(Chat, chat.pk)
    if locked is None:
        raise Invalid(_("That chat no longer exists."), code="not_found")
    if transcript_expired(locked):
        raise Invalid(
            _("This conversation is no longer kept, so it cannot be sent."),
            code="expired",
        )
    if not locked.email:
        raise Invalid(
            _("No e-mail address was given when the chat started."),
            code="no_email",
        )
    if locked.status != ChatStatus.CLOSED or locked.blocked:
        raise Invalid(
            _("The conversation can be sent once it has ended."), code="not_ended"
        )
    if locked.transcripts_sent >= TRANSCRIPTS_PER_CHAT:
        raise Invalid(
            _("This conversation has already been sent many times."),
            code="rate_limited",
        )
    message = _("The conversation was sent a moment ago. Try again later.")
    check_rate(
        f"advice-transcript:{locked.pk}",
        limit=TRANSCRIPTS_PER_CHAT_PER_HOUR,
        message=message,
    )
    # Only a hash of the address names the counter in the cache.
    address = hashlib.sha256(locked.email.lower().encode()).hexdigest()[:32]
    check_rate(
        f"advice-transcript-to:{address}",
        limit=TRANSCRIPTS_PER_ADDRESS_PER_HOUR,
        message=message,
    )
    with translation.override(language):
        body = render_to_string(
            "advice/email/transcript.txt",
            {
                "chat": locked,
                "city": locked.city.name if locked.city_id else _("any city"),
                "topic": locked.topic.name if locked.topic_id else "",
                "language_name": language_name(locked.language),
                "started_at": timezone.localtime(locked.queued_at or locked.created_at),
                "lines": _lines(locked),
            },
        )
    subject, _sep, text = body.strip().partition("\n")
    OutgoingMail.objects.create(
        to_email=locked.email, subject=subject.strip(), body=text.strip()
    )
    Chat.objects.filter(pk=locked.pk).update(transcripts_sent=F("transcripts_sent") + 1)
    chat.transcripts_sent = locked.transcripts_sent + 1
    transaction.on_commit(outbox_kick)
