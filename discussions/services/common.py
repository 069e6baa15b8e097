"""What every discussion service shares: who acts, rate limits, text
cleaning, status changes that keep the counters exact, reply e-mails."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.roles import role_holder_ids
from core import ratelimit, searchables
from core.actors import Actor
from core.errors import Forbidden, Invalid, RateLimited
from core.http import absolute_url
from core.mail import outbox_kick, outbox_mail
from core.sanitize import clean_text
from discussions.models import (
    COMMENT_MAX_LENGTH,
    NICKNAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Comment,
    CommentingBlock,
    CommentStatus,
    Discussion,
)
from discussions.rules import is_comment_author
from notifications.services import notify

EDIT_WINDOW = timedelta(minutes=15)

# (hits, window in seconds) per person and per IP address, for each kind of write.
DEFAULT_RATE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "comment": {"person": (5, 300), "ip": (30, 300)},
    "like": {"person": (60, 60), "ip": (300, 60)},
    "report": {"person": (10, 3600), "ip": (30, 3600)},
}


def _rate_limit(kind: str, participant: Actor) -> None:
    limits = getattr(settings, "PARTICIPATION_RATE_LIMITS", DEFAULT_RATE_LIMITS)[kind]
    checks = []
    if participant.identity:
        checks.append((f"pp:{kind}:{participant.identity}", limits["person"]))
    if participant.ip:
        checks.append((f"pp:{kind}:ip:{participant.ip}", limits["ip"]))
    for key, (limit, window) in checks:
        if ratelimit.limit_exceeded(key, limit=limit, window_seconds=window):
            raise RateLimited(
                _("You are doing that too often. Please wait a moment and try again.")
            )


def _is_blocked(user: User | None, city_id: int | None) -> bool:
    if user is None:
        return False
    return CommentingBlock.objects.filter(
        Q(city__isnull=True) | Q(city_id=city_id), user=user
    ).exists()


def _clean_comment_text(text: str) -> str:
    cleaned = clean_text(text)
    if not cleaned:
        raise Invalid(_("Write something first."), field="text", code="empty")
    if len(cleaned) > COMMENT_MAX_LENGTH:
        raise Invalid(
            _("A comment can be at most %(max)d characters long.")
            % {"max": COMMENT_MAX_LENGTH},
            field="text",
            code="too_long",
        )
    return cleaned


def _clean_reason(reason: str, *, required: bool = True) -> str:
    cleaned = clean_text(reason, multiline=False)
    if required and not cleaned:
        raise Invalid(_("Give a reason."), field="reason", code="empty")
    if len(cleaned) > REASON_MAX_LENGTH:
        raise Invalid(
            _("A reason can be at most %(max)d characters long.")
            % {"max": REASON_MAX_LENGTH},
            field="reason",
            code="too_long",
        )
    return cleaned


def _content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


def _author_fields(participant: Actor, discussion: Discussion) -> dict:
    if participant.is_registered:
        if not participant.user.is_active:
            raise Forbidden(_("Your account is not active."), code="inactive")
        return {"author": participant.user}
    if not discussion.allow_anonymous or participant.anonymous_key is None:
        raise Forbidden(_("Log in to comment here."), code="login_required")
    nickname = clean_text(participant.nickname, multiline=False)
    if len(nickname) < 2 or len(nickname) > NICKNAME_MAX_LENGTH:
        raise Invalid(
            _("Give a nickname of 2 to %(max)d characters.")
            % {"max": NICKNAME_MAX_LENGTH},
            field="nickname",
            code="nickname",
        )
    return {"anonymous_key": participant.anonymous_key, "nickname": nickname}


def _is_own(comment: Comment, participant: Actor) -> bool:
    return is_comment_author(participant, comment)


def _counts_in_thread(status: str) -> bool:
    """Whether a comment in `status` counts as a reply in its parent's thread."""
    return status in (CommentStatus.VISIBLE, CommentStatus.HIDDEN)


def _set_status(comment: Comment, status: str, *, reason: str = "") -> None:
    """Change status and keep the discussion's and the parent's counters exact."""
    old = comment.status
    comment.status = status
    comment.hidden_reason = reason if status == CommentStatus.HIDDEN else ""
    fields = ["status", "hidden_reason", "updated_at"]
    if status == CommentStatus.VISIBLE and comment.first_published_at is None:
        # The one place a comment becomes visible: from here on open data treats
        # it as once public, so hiding or deleting it later tombstones it.
        comment.first_published_at = timezone.now()
        fields.append("first_published_at")
    comment.save(update_fields=fields)
    visible_delta = int(status == CommentStatus.VISIBLE) - int(
        old == CommentStatus.VISIBLE
    )
    if visible_delta:
        Discussion.objects.filter(pk=comment.discussion_id).update(
            comment_count=F("comment_count") + visible_delta
        )
    # Shown, hidden, deleted: the site search follows at once (core.searchables).
    searchables.reindex_on_commit("comment", comment.pk)
    thread_delta = int(_counts_in_thread(status)) - int(_counts_in_thread(old))
    if thread_delta and comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(
            reply_count=F("reply_count") + thread_delta
        )


# --- Notifications ------------------------------------------------------------


def _notify_reply(reply: Comment) -> None:
    """Queue an e-mail to the author of the comment replied to."""
    if reply.parent_id is None or reply.status != CommentStatus.VISIBLE:
        return
    parent = Comment.objects.select_related("author", "discussion").get(
        pk=reply.parent_id
    )
    recipient = parent.author
    if recipient is None or not recipient.is_active or not recipient.email:
        return
    if reply.author_id == recipient.pk:
        return
    mail = outbox_mail(
        recipient,
        "discussions/email/reply.txt",
        {
            "reply": reply,
            "discussion": parent.discussion,
            "url": absolute_url(f"{parent.discussion.url}#comment-{reply.pk}"),
        },
    )
    mail.save()
    transaction.on_commit(outbox_kick)
    # In the notification centre too; the e-mail above is its e-mail.
    from discussions.registrations import REPLY_KIND  # it reads the selectors

    notify(
        kind=REPLY_KIND,
        target=reply,
        actor=reply.author,
        recipients=[recipient],
        already_mailed=[recipient],
    )


def moderators_notify(comment: Comment) -> None:
    """Tell the city's moderators that `comment` waits in their queue."""
    from discussions.registrations import MODERATION_KIND  # it reads the selectors

    recipients = role_holder_ids(comment.discussion.city_id, Role.MODERATOR)
    if recipients:
        notify(kind=MODERATION_KIND, target=comment, recipients=recipients)
