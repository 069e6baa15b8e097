"""Telling people what happened to feedback: followers through the notification
registry, the sender by e-mail through the outbox (`core.mail`).

Followers hear only of public items, with the public title and the item page:
never the private original, an internal note or a contact detail. The sender's
e-mail is written in their language (the account's preferred language, else the
language they wrote in). Only the hash of the follow-up token is stored, so the
e-mail links to the public item page when there is one and otherwise points to
the link in their receipt.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import translation

from core.http import absolute_url
from core.mail import outbox_kick, outbox_mail
from feedback.models import FeedbackItem, FeedbackStatusChange, Status
from notifications.models import Follow
from notifications.services import notify

STATUS_KIND = "feedback.status_change"
ANSWER_KIND = "feedback.answer"


def item_path(item: FeedbackItem) -> str:
    """The item's public page in the active language."""
    try:
        return item.get_absolute_url()
    except NoReverseMatch:  # the public pages are not mounted (a trimmed URLconf)
        return f"/feedback/{item.pk}/"


def describe(item: FeedbackItem) -> tuple[str, str]:
    """What a notification keeps: the public title and the public page only."""
    return item.public_title, item_path(item)


def _recipient(item: FeedbackItem):
    """Who the sender's e-mail goes to, with the language to write it in; None
    when there is no address (anonymous, purged or withdrawn)."""
    if item.withdrawn_at is not None:
        return None
    author = item.author if item.author_id else None
    if author is not None and not author.is_active:
        author = None
    email = item.email or (author.email if author is not None else "")
    if not email:
        return None
    language = (author.preferred_language if author is not None else "") or (
        item.language or settings.LANGUAGE_CODE
    )
    name = " ".join(p for p in (item.first_name, item.last_name) if p)
    if not name and author is not None:
        name = author.display_name
    return SimpleNamespace(email=email, preferred_language=language, display_name=name)


def _sender_mail(item: FeedbackItem, template: str, context: dict) -> None:
    recipient = _recipient(item)
    if recipient is None:
        return
    with translation.override(recipient.preferred_language):
        url = absolute_url(item_path(item)) if item.is_public else ""
    context = {
        **context,
        "item": item,
        "url": url,
        "status_label": Status(item.status).label,
        "name": recipient.display_name,
    }
    outbox_mail(recipient, template, context).save()
    transaction.on_commit(outbox_kick)


def status_changed(item: FeedbackItem, change: FeedbackStatusChange, *, actor) -> None:
    """A public step of the trail: tell the followers and the sender."""
    if change.internal:
        return
    if item.is_public:
        notify(
            kind=STATUS_KIND, target=item, actor=actor, params={"status": item.status}
        )
    _sender_mail(item, "feedback/email/status_change.txt", {"change": change})


def answered(item: FeedbackItem, *, actor) -> None:
    """The city answered: tell the followers and the sender."""
    if item.is_public:
        notify(kind=ANSWER_KIND, target=item, actor=actor)
    _sender_mail(item, "feedback/email/answer.txt", {"answer": item.answer})


def followers_move(src: FeedbackItem, dst: FeedbackItem) -> None:
    """Who followed the duplicate (and its signed-in sender) follow the one that
    stays; each person once."""
    content_type = ContentType.objects.get_for_model(FeedbackItem)
    users = set(
        Follow.objects.filter(content_type=content_type, object_id=src.pk).values_list(
            "user_id", flat=True
        )
    )
    if src.author_id is not None:
        users.add(src.author_id)
    Follow.objects.bulk_create(
        [
            Follow(user_id=user_id, content_type=content_type, object_id=dst.pk)
            for user_id in sorted(users)
        ],
        ignore_conflicts=True,
    )
    Follow.objects.filter(content_type=content_type, object_id=src.pk).delete()
