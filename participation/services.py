"""Every write to discussions, comments, reactions, moderation and planned services.

One function per use case, keyword-only, transactional. Each raises a
`ValidationError` (or `PermissionDenied`) with a clear message and writes nothing
when the input or the actor is not allowed. Counters (`comment_count`,
`like_count`, `reply_count`, support/oppose) change only here, with F() updates on
rows locked with `select_for_update()` in the same transaction, next to a unique
constraint per person, so concurrent clicks cannot make them drift.

Other apps reuse these for their own discussions (see `participation.models`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.roles import has_city_role
from core import ratelimit
from core.models import City
from core.sanitize import clean_text
from participation.models import (
    COMMENT_MAX_LENGTH,
    NICKNAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Comment,
    CommentingBlock,
    CommentLike,
    CommentReport,
    CommentStatus,
    Discussion,
    DiscussionSupport,
    Lifecycle,
    ModerationAction,
    ModerationActionKind,
    OutgoingMail,
    PlannedServicePage,
    PlannedServiceSection,
    Stance,
    SupportValue,
)
from participation.rules import is_comment_author

EDIT_WINDOW = timedelta(minutes=15)

# (hits, window in seconds) per person and per IP address, for each kind of write.
DEFAULT_RATE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    "comment": {"person": (5, 300), "ip": (30, 300)},
    "like": {"person": (60, 60), "ip": (300, 60)},
    "report": {"person": (10, 3600), "ip": (30, 3600)},
}


class RateLimited(ValidationError):
    """Too many writes from one person or address; try again later."""


@dataclass(frozen=True)
class Participant:
    """Who is acting: a logged-in user, or an anonymous participant with the random
    key kept in their session (and the nickname they gave)."""

    user: User | None = None
    anonymous_key: uuid.UUID | None = None
    nickname: str = ""
    ip: str = ""

    @property
    def is_registered(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def identity(self) -> str:
        if self.is_registered:
            return f"u{self.user.pk}"
        return f"a{self.anonymous_key}" if self.anonymous_key else ""


def _lock_timeout() -> None:
    # A contended row waits at most a few seconds instead of piling requests up.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")


def _rate_limit(kind: str, participant: Participant) -> None:
    limits = getattr(settings, "PARTICIPATION_RATE_LIMITS", DEFAULT_RATE_LIMITS)[kind]
    checks = []
    if participant.identity:
        checks.append((f"pp:{kind}:{participant.identity}", limits["person"]))
    if participant.ip:
        checks.append((f"pp:{kind}:ip:{participant.ip}", limits["ip"]))
    for key, (limit, window) in checks:
        if ratelimit.limit_exceeded(key, limit=limit, window_seconds=window):
            raise RateLimited(
                _("You are doing that too often. Please wait a moment and try again."),
                code="rate_limited",
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
        raise ValidationError({"text": _("Write something first.")}, code="empty")
    if len(cleaned) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("A comment can be at most %(max)d characters long.")
                % {"max": COMMENT_MAX_LENGTH}
            },
            code="too_long",
        )
    return cleaned


def _clean_reason(reason: str, *, required: bool = True) -> str:
    cleaned = clean_text(reason, multiline=False)
    if required and not cleaned:
        raise ValidationError({"reason": _("Give a reason.")}, code="empty")
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("A reason can be at most %(max)d characters long.")
                % {"max": REASON_MAX_LENGTH}
            },
            code="too_long",
        )
    return cleaned


def _content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()


def _author_fields(participant: Participant, discussion: Discussion) -> dict:
    if participant.is_registered:
        if not participant.user.is_active:
            raise PermissionDenied(_("Your account is not active."))
        return {"author": participant.user}
    if not discussion.allow_anonymous:
        raise PermissionDenied(_("Log in to comment here."))
    if participant.anonymous_key is None:
        raise PermissionDenied(_("Log in to comment here."))
    nickname = clean_text(participant.nickname, multiline=False)
    if len(nickname) < 2 or len(nickname) > NICKNAME_MAX_LENGTH:
        raise ValidationError(
            {
                "nickname": _("Give a nickname of 2 to %(max)d characters.")
                % {"max": NICKNAME_MAX_LENGTH}
            },
            code="nickname",
        )
    return {"anonymous_key": participant.anonymous_key, "nickname": nickname}


def _is_own(comment: Comment, participant: Participant) -> bool:
    return is_comment_author(participant, comment)


def _counts_in_thread(status: str) -> bool:
    """Whether a comment in `status` counts as a reply in its parent's thread."""
    return status in (CommentStatus.VISIBLE, CommentStatus.HIDDEN)


def _set_status(comment: Comment, status: str, *, reason: str = "") -> None:
    """Change status and keep the discussion's and the parent's counters exact."""
    old = comment.status
    comment.status = status
    comment.hidden_reason = reason if status == CommentStatus.HIDDEN else ""
    comment.save(update_fields=["status", "hidden_reason", "updated_at"])
    visible_delta = int(status == CommentStatus.VISIBLE) - int(
        old == CommentStatus.VISIBLE
    )
    if visible_delta:
        Discussion.objects.filter(pk=comment.discussion_id).update(
            comment_count=F("comment_count") + visible_delta
        )
    thread_delta = int(_counts_in_thread(status)) - int(_counts_in_thread(old))
    if thread_delta and comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(
            reply_count=F("reply_count") + thread_delta
        )


# --- Discussions --------------------------------------------------------------


def discussion_target(obj: Any) -> tuple[str, str]:
    """The `(target_type, target_key)` of a commentable object."""
    key = getattr(obj, "discussion_key", None) or obj.pk
    return obj._meta.label_lower, str(key)


@transaction.atomic
def discussion_for(obj: Any, *, city: City | None = None, **fields: Any) -> Discussion:
    """The discussion about `obj`, created on first use.

    `fields` (title, url, is_open, opens_at, closes_at, allow_anonymous,
    premoderated, report_threshold) set the owner's rules; given ones are saved.
    """
    target_type, target_key = discussion_target(obj)
    allowed = {
        "title",
        "url",
        "is_open",
        "opens_at",
        "closes_at",
        "allow_anonymous",
        "premoderated",
        "report_threshold",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown discussion fields: {sorted(unknown)}")
    defaults = dict(fields)
    if city is not None:
        defaults["city"] = city
    discussion, created = Discussion.objects.get_or_create(
        target_type=target_type, target_key=target_key, defaults=defaults
    )
    if not created and defaults:
        changed = [
            name
            for name, value in defaults.items()
            if getattr(discussion, name if name != "city" else "city_id")
            != (value.pk if name == "city" else value)
        ]
        if changed:
            for name, value in defaults.items():
                setattr(discussion, name, value)
            discussion.save(update_fields=[*changed, "updated_at"])
    return discussion


@transaction.atomic
def discussion_support(
    *, discussion: Discussion, participant: Participant, value: int | None
) -> DiscussionSupport | None:
    """Support (1), oppose (-1) or take back (None) one's position; one per person."""
    if not participant.is_registered:
        raise PermissionDenied(_("Log in to support or oppose."))
    if value is not None and value not in SupportValue.values:
        raise ValidationError(_("Choose support or oppose."), code="invalid")
    if not discussion.accepts_comments():
        raise ValidationError(
            _("Support and opposition are closed here."), code="closed"
        )
    _rate_limit("like", participant)
    _lock_timeout()
    locked = Discussion.objects.select_for_update().get(pk=discussion.pk)
    existing = DiscussionSupport.objects.filter(
        discussion=locked, user=participant.user
    ).first()
    if existing is not None:
        existing.delete()
    support = None
    if value is not None:
        support = DiscussionSupport.objects.create(
            discussion=locked, user=participant.user, value=value
        )
    # Recomputed from the rows under the lock: exact whatever came before.
    rows = DiscussionSupport.objects.filter(discussion=locked)
    Discussion.objects.filter(pk=locked.pk).update(
        support_count=rows.filter(value=SupportValue.SUPPORT).count(),
        oppose_count=rows.filter(value=SupportValue.OPPOSE).count(),
    )
    return support


# --- Comments -----------------------------------------------------------------


def _check_can_write(discussion: Discussion, participant: Participant) -> dict:
    if not discussion.accepts_comments():
        raise ValidationError(_("Commenting is closed here."), code="closed")
    author = _author_fields(participant, discussion)
    if _is_blocked(participant.user, discussion.city_id):
        raise PermissionDenied(_("You have been blocked from commenting."))
    return author


@transaction.atomic
def comment_create(
    *,
    discussion: Discussion,
    participant: Participant,
    text: str,
    stance: str = "",
    parent: Comment | None = None,
) -> Comment:
    """Post a comment (or, with `parent`, a reply) in `discussion`."""
    author = _check_can_write(discussion, participant)
    cleaned = _clean_comment_text(text)
    if stance not in ("", *Stance.values):
        raise ValidationError({"stance": _("Choose a valid stance.")}, code="invalid")
    if parent is not None:
        if parent.discussion_id != discussion.pk:
            raise ValidationError(_("That comment is not in this discussion."))
        # Replies stay one level deep: a reply to a reply joins the same thread.
        # Read from the database: the caller's copy may predate a moderation.
        parent = Comment.objects.get(pk=parent.parent_id or parent.pk)
        if parent.status != CommentStatus.VISIBLE:
            raise ValidationError(
                _("You cannot reply to a hidden or deleted comment."), code="gone"
            )
    digest = _content_hash(cleaned)
    same_author = (
        Q(author=author["author"])
        if "author" in author
        else Q(anonymous_key=author["anonymous_key"])
    )
    if (
        Comment.objects.filter(same_author, discussion=discussion, content_hash=digest)
        .exclude(status=CommentStatus.DELETED)
        .exists()
    ):
        raise ValidationError(
            {"text": _("You have already posted this same comment.")},
            code="duplicate",
        )
    _rate_limit("comment", participant)
    premoderate = discussion.premoderated and not has_city_role(
        participant.user, discussion.city_id, Role.MODERATOR
    )
    comment = Comment.objects.create(
        discussion=discussion,
        parent=parent,
        text=cleaned,
        stance=stance,
        content_hash=digest,
        status=CommentStatus.PENDING,
        **author,
    )
    if not premoderate:
        _set_status(comment, CommentStatus.VISIBLE)
        _notify_reply(comment)
    return comment


def comment_reply(*, parent: Comment, participant: Participant, text: str) -> Comment:
    """Reply to `parent` (replies to replies join the same thread)."""
    return comment_create(
        discussion=parent.discussion, participant=participant, text=text, parent=parent
    )


@transaction.atomic
def comment_edit(
    *,
    comment: Comment,
    participant: Participant,
    text: str,
    stance: str | None = None,
) -> Comment:
    """The author changes their comment within 15 minutes of posting it."""
    if not _is_own(comment, participant):
        raise PermissionDenied(_("You can only edit your own comments."))
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        raise ValidationError(
            _("Comments can be edited for 15 minutes after posting."), code="too_late"
        )
    if comment.status not in (CommentStatus.VISIBLE, CommentStatus.PENDING):
        raise ValidationError(_("This comment can no longer be edited."), code="gone")
    _check_can_write(comment.discussion, participant)
    cleaned = _clean_comment_text(text)
    if stance is not None and stance not in ("", *Stance.values):
        raise ValidationError({"stance": _("Choose a valid stance.")}, code="invalid")
    _rate_limit("comment", participant)
    comment.text = cleaned
    comment.content_hash = _content_hash(cleaned)
    if stance is not None:
        comment.stance = stance
    comment.edited_at = timezone.now()
    comment.save(
        update_fields=["text", "content_hash", "stance", "edited_at", "updated_at"]
    )
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, participant: Participant) -> Comment:
    """The author deletes their comment; its replies stay under a placeholder."""
    if not _is_own(comment, participant):
        raise PermissionDenied(_("You can only delete your own comments."))
    _lock_timeout()
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status == CommentStatus.DELETED:
        raise ValidationError(_("This comment is already deleted."), code="gone")
    _set_status(comment, CommentStatus.DELETED)
    comment.text = ""
    comment.content_hash = ""
    comment.save(update_fields=["text", "content_hash", "updated_at"])
    return comment


@transaction.atomic
def comment_like(*, comment: Comment, participant: Participant) -> bool:
    """Like a comment; False (and no change) when the person already likes it."""
    if not participant.is_registered:
        raise PermissionDenied(_("Log in to like comments."))
    if comment.status != CommentStatus.VISIBLE:
        raise ValidationError(_("This comment cannot be liked."), code="gone")
    _rate_limit("like", participant)
    _lock_timeout()
    # The row lock orders concurrent likes of one comment; the unique constraint
    # is the backstop, so the counter moves exactly once per row inserted.
    Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if CommentLike.objects.filter(comment=comment, user=participant.user).exists():
        return False
    try:
        with transaction.atomic():
            CommentLike.objects.create(comment=comment, user=participant.user)
    except IntegrityError:
        return False
    Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    return True


@transaction.atomic
def comment_unlike(*, comment: Comment, participant: Participant) -> bool:
    """Take a like back; False when there was none."""
    if not participant.is_registered:
        raise PermissionDenied(_("Log in to like comments."))
    _rate_limit("like", participant)
    _lock_timeout()
    Comment.objects.select_for_update().filter(pk=comment.pk).first()
    deleted, _rows = CommentLike.objects.filter(
        comment=comment, user=participant.user
    ).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") - 1)
    return bool(deleted)


@transaction.atomic
def comment_report(
    *, comment: Comment, participant: Participant, reason: str
) -> CommentReport:
    """Report a comment; at the discussion's threshold it is hidden for review."""
    cleaned = _clean_reason(reason)
    if not participant.identity:
        raise PermissionDenied(_("Your browser did not keep a session; try again."))
    if _is_own(comment, participant):
        raise ValidationError(_("You cannot report your own comment."), code="own")
    if not rules.test_rule("participation.report_comment", participant, comment):
        raise ValidationError(_("This comment is no longer shown."), code="gone")
    who = (
        {"reporter": participant.user}
        if participant.is_registered
        else {"reporter_key": participant.anonymous_key}
    )
    if CommentReport.objects.filter(comment=comment, **who).exists():
        raise ValidationError(
            _("You have already reported this comment."), code="duplicate"
        )
    _rate_limit("report", participant)
    _lock_timeout()
    comment = (
        Comment.objects.select_for_update()
        .select_related("discussion")
        .get(pk=comment.pk)
    )
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reason=cleaned, **who
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already reported this comment."), code="duplicate"
        ) from error
    comment.report_count = CommentReport.objects.filter(
        comment=comment, resolved=False
    ).count()
    comment.save(update_fields=["report_count", "updated_at"])
    if (
        comment.status == CommentStatus.VISIBLE
        and comment.report_count >= comment.discussion.report_threshold
    ):
        _set_status(comment, CommentStatus.HIDDEN)
        ModerationAction.objects.create(
            city_id=comment.discussion.city_id,
            kind=ModerationActionKind.AUTO_HIDE,
            comment=comment,
            subject_user_id=comment.author_id,
            reason=_("%(count)d reports") % {"count": comment.report_count},
        )
    return report


# --- Moderation ---------------------------------------------------------------


def _require_moderator(user: User, city_id: int | None) -> None:
    if not has_city_role(user, city_id, Role.MODERATOR):
        raise PermissionDenied(_("Only the city's moderators can do that."))


def _moderate(
    *, comment: Comment, moderator: User, kind: str, status: str, reason: str
) -> Comment:
    _lock_timeout()
    comment = (
        Comment.objects.select_for_update()
        .select_related("discussion")
        .get(pk=comment.pk)
    )
    _require_moderator(moderator, comment.discussion.city_id)
    if comment.status == CommentStatus.DELETED:
        raise ValidationError(_("The author has deleted this comment."), code="gone")
    was_pending = comment.status == CommentStatus.PENDING
    _set_status(comment, status, reason=reason)
    # A decision closes the open reports; new reports by others count afresh.
    CommentReport.objects.filter(comment=comment, resolved=False).update(resolved=True)
    comment.report_count = 0
    comment.save(update_fields=["report_count"])
    ModerationAction.objects.create(
        city_id=comment.discussion.city_id,
        moderator=moderator,
        kind=kind,
        comment=comment,
        subject_user_id=comment.author_id,
        reason=reason,
    )
    if was_pending and status == CommentStatus.VISIBLE:
        _notify_reply(comment)
    return comment


@transaction.atomic
def comment_hide(*, comment: Comment, moderator: User, reason: str) -> Comment:
    """Hide a comment; the reason is shown in its place."""
    cleaned = _clean_reason(reason)
    return _moderate(
        comment=comment,
        moderator=moderator,
        kind=ModerationActionKind.HIDE,
        status=CommentStatus.HIDDEN,
        reason=cleaned,
    )


@transaction.atomic
def comment_restore(*, comment: Comment, moderator: User, reason: str = "") -> Comment:
    """Show a hidden comment again (or approve a pre-moderated one)."""
    cleaned = _clean_reason(reason, required=False)
    kind = (
        ModerationActionKind.APPROVE
        if comment.status == CommentStatus.PENDING
        else ModerationActionKind.RESTORE
    )
    return _moderate(
        comment=comment,
        moderator=moderator,
        kind=kind,
        status=CommentStatus.VISIBLE,
        reason=cleaned,
    )


@transaction.atomic
def user_block(
    *, user: User, city: City | None, moderator: User, reason: str
) -> CommentingBlock:
    """Stop `user` from commenting in `city`."""
    cleaned = _clean_reason(reason)
    _require_moderator(moderator, city.pk if city else None)
    if user.pk == moderator.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    block, created = CommentingBlock.objects.get_or_create(
        user=user,
        city=city,
        defaults={"reason": cleaned, "blocked_by": moderator},
    )
    if not created:
        raise ValidationError(_("This user is already blocked."), code="duplicate")
    ModerationAction.objects.create(
        city=city,
        moderator=moderator,
        kind=ModerationActionKind.BLOCK,
        subject_user=user,
        reason=cleaned,
    )
    return block


@transaction.atomic
def user_unblock(
    *, user: User, city: City | None, moderator: User, reason: str = ""
) -> None:
    cleaned = _clean_reason(reason, required=False)
    _require_moderator(moderator, city.pk if city else None)
    deleted, _rows = CommentingBlock.objects.filter(user=user, city=city).delete()
    if not deleted:
        raise ValidationError(_("This user is not blocked."), code="not_blocked")
    ModerationAction.objects.create(
        city=city,
        moderator=moderator,
        kind=ModerationActionKind.UNBLOCK,
        subject_user=user,
        reason=cleaned,
    )


# --- Notifications ------------------------------------------------------------


def _mail_row(user: User, template: str, context: dict) -> OutgoingMail:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "recipient": user})
        subject, _sep, text = body.strip().partition("\n")
    return OutgoingMail(to_email=user.email, subject=subject.strip(), body=text.strip())


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


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
    mail = _mail_row(
        recipient,
        "participation/email/reply.txt",
        {
            "reply": reply,
            "discussion": parent.discussion,
            "url": _absolute(f"{parent.discussion.url}#comment-{reply.pk}"),
        },
    )
    mail.save()
    from participation.mail import outbox_kick

    transaction.on_commit(outbox_kick)


# --- Planned services ---------------------------------------------------------


def _service_rules(page: PlannedServicePage) -> dict[str, Any]:
    return {
        "is_open": page.status == Lifecycle.OPEN,
        "opens_at": page.comments_open_at,
        "closes_at": page.comments_close_at,
        "allow_anonymous": page.allow_anonymous,
        "premoderated": page.premoderated,
        "report_threshold": page.report_threshold,
    }


@transaction.atomic
def service_discussions_sync(*, page: PlannedServicePage) -> dict[str, Discussion]:
    """Create or update the discussions of `page` and its sections (by target key).

    Called when a page is published, and by the page view if a page has none yet.
    """
    rules = _service_rules(page)
    url = page.url or ""
    result = {
        page.discussion_key: discussion_for(
            page, city=page.city, title=page.title, url=url, **rules
        )
    }
    for section in page.sections.all():
        result[section.discussion_key] = discussion_for(
            section,
            city=page.city,
            title=f"{page.title}: {section.title}",
            url=f"{url}?section={section.key}",
            **rules,
        )
    return result


def _set_page_status(page: PlannedServicePage, user: User | None, **fields) -> None:
    """Change fields on the latest revision and publish it (keeps drafts coherent)."""
    latest = page.get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(latest, name, value)
    revision = latest.save_revision(user=user, log_action=True)
    # Authorised by the caller with has_city_role (city roles, not page perms).
    revision.publish(user=user, skip_permission_checks=True)


@transaction.atomic
def service_status_set(
    *, page: PlannedServicePage, user: User, status: str
) -> PlannedServicePage:
    """An editor moves the lifecycle (e.g. closes comments or withdraws)."""
    if not has_city_role(user, page.city, Role.EDITOR):
        raise PermissionDenied(_("Only the city's editors can do that."))
    if status not in Lifecycle.values:
        raise ValidationError(_("Unknown status."), code="invalid")
    _set_page_status(page, user, status=status)
    page.refresh_from_db()
    service_discussions_sync(page=page)
    return page


@transaction.atomic
def service_answer_publish(
    *, page: PlannedServicePage, user: User
) -> PlannedServicePage:
    """Publish the city's answer: status → answered, e-mail commenters and supporters.

    The answer text is what the editor wrote in the page's "City's answer" tab (the
    latest revision, draft or not). The e-mails are written to the outbox in this
    transaction and sent in batches after the commit (see `participation.mail`).
    """
    if not has_city_role(user, page.city, Role.EDITOR):
        raise PermissionDenied(_("Only the city's editors can publish the answer."))
    latest = page.get_latest_revision_as_object()
    if not clean_text(latest.answer):
        raise ValidationError(
            {"answer": _("Write the answer in the page's “City's answer” tab first.")},
            code="empty",
        )
    if page.status == Lifecycle.WITHDRAWN:
        raise ValidationError(_("This service has been withdrawn."), code="withdrawn")
    if page.answer_published_at is not None:
        raise ValidationError(_("The answer is already published."), code="duplicate")
    now = timezone.now()
    _set_page_status(page, user, status=Lifecycle.ANSWERED, answer_published_at=now)
    page = PlannedServicePage.objects.get(pk=page.pk)
    discussions = service_discussions_sync(page=page)
    ids = [d.pk for d in discussions.values()]
    recipients = (
        User.objects.filter(is_active=True)
        .filter(
            Q(comments__discussion_id__in=ids)
            | Q(discussion_supports__discussion_id__in=ids)
        )
        .exclude(email="")
        .distinct()
        .only("pk", "email", "preferred_language", "display_name")
    )
    url = _absolute(page.url or "")
    # One rendering per language, not per recipient: a thousand rows stay cheap.
    rendered: dict[str, OutgoingMail] = {}
    rows = []
    for recipient in recipients.iterator(chunk_size=500):
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        if language not in rendered:
            rendered[language] = _mail_row(
                recipient,
                "participation/email/answer_published.txt",
                {"page": page, "url": url},
            )
        template = rendered[language]
        rows.append(
            OutgoingMail(
                to_email=recipient.email, subject=template.subject, body=template.body
            )
        )
    OutgoingMail.objects.bulk_create(rows, batch_size=500)
    from participation.mail import outbox_kick

    transaction.on_commit(outbox_kick)
    return page


def section_for_key(page: PlannedServicePage, key: str) -> PlannedServiceSection | None:
    try:
        wanted = uuid.UUID(str(key))
    except ValueError:
        return None
    return next((s for s in page.sections.all() if s.key == wanted), None)
