"""Answering an offline question by e-mail.

A question left when the desk was closed or nobody was available waits with
status `offline` and the resident's address. An advisor of its city (any city
when the resident chose "any") and language answers it once: the answer goes
to that address through the outbox, in the interface language, and is kept in
the chat as the advisor's message (numbered in the chat's log, as every
change); the chat closes with `answered_by_email_at`. Never once the
transcript is past its city's retention period.
"""

from __future__ import annotations

import rules
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advice import selectors
from advice.models import MESSAGE_TEXT_MAX, Chat, ChatMessage, ChatStatus
from advice.retention import transcript_expired
from advice.rules import advisor_profile
from advice.services.chats import advisor_member, close_write
from advice.services.events import chat_event, chat_seq_take
from advice.services.transcripts import interface_language
from core.errors import Conflict, Forbidden, Invalid, clean_field, invalid_fields
from core.mail import outbox_kick
from core.models import OutgoingMail

__all__ = ["offline_answer"]

ANSWER_MIN = 10


@transaction.atomic
def offline_answer(*, chat: Chat, user, text: str) -> Chat:
    """Answer the offline question `chat` by e-mail as `user`; the chat closes.
    Refuses (writing nothing) another city's or language's question, one
    already answered or taken, and an empty, too long or expired answer."""
    profile = advisor_profile(user)
    if profile is None or not rules.has_perm("advice.advise", user, chat):
        raise Forbidden(
            _("Only the advisors of the question's city and language can answer it.")
        )
    errors: dict[str, tuple[str, str]] = {}
    text = clean_field(
        errors, "text", text, max_length=MESSAGE_TEXT_MAX, min_length=ANSWER_MIN
    )
    if errors:
        raise invalid_fields(errors)
    language = interface_language(chat)
    locked = chat_seq_take(chat.pk)
    if locked is None:
        raise Invalid(_("No such chat."), code="not_found")
    # Read whole once its number is taken (the row stays locked): the numbered
    # row carries raw column values only.
    current = Chat.objects.get(pk=locked.pk)
    if current.status != ChatStatus.OFFLINE:
        raise Conflict(
            _("This question was already answered or taken into a chat."),
            code="not_offline",
        )
    if transcript_expired(current):
        raise Invalid(
            _("This question is no longer kept, so it cannot be answered."),
            code="expired",
        )
    member = advisor_member(locked.pk, profile)
    message = ChatMessage.objects.create(
        chat_id=locked.pk,
        author=member.role,
        member=member,
        name=profile.display_name,
        text=text,
    )
    chat_event(
        chat=locked,
        kind="message.sent",
        payload={"message": selectors.message_data(message)},
        member=member,
    )
    question = (
        ChatMessage.objects.filter(chat_id=locked.pk, author="resident")
        .order_by("id")
        .values_list("text", flat=True)
        .first()
    )
    with translation.override(language):
        body = render_to_string(
            "advice/email/offline_answer.txt",
            {"question": question or "", "answer": text, "name": profile.display_name},
        )
    subject, _sep, mail_text = body.strip().partition("\n")
    OutgoingMail.objects.create(
        to_email=current.email, subject=subject.strip(), body=mail_text.strip()
    )
    transaction.on_commit(outbox_kick)
    closing = chat_seq_take(locked.pk)
    close_write(chat=closing, member=member, op="", by=member.role)
    Chat.objects.filter(pk=locked.pk).update(answered_by_email_at=timezone.now())
    return Chat.objects.get(pk=locked.pk)
