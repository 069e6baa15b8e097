"""Writing, replying, editing, deleting, liking and reporting comments."""

from __future__ import annotations

import rules
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import searchables
from core.actors import Actor
from core.errors import Forbidden, Invalid
from core.locking import lock_row
from core.text.analysis import LANGUAGES
from core.text.fields import current_text_language
from discussions.models import (
    Comment,
    CommentLike,
    CommentReport,
    CommentStatus,
    Discussion,
    ModerationAction,
    ModerationActionKind,
    Stance,
)
from discussions.services.common import (
    EDIT_WINDOW,
    _author_fields,
    _clean_comment_text,
    _clean_reason,
    _content_hash,
    _is_blocked,
    _is_own,
    _notify_reply,
    _rate_limit,
    _set_status,
    moderators_notify,
)
from discussions.targets import target_object
from notifications.services import follow_default


def _check_can_write(discussion: Discussion, participant: Actor) -> dict:
    if not discussion.accepts_comments():
        raise Invalid(_("Commenting is closed here."), code="closed")
    author = _author_fields(participant, discussion)
    if _is_blocked(participant.user, discussion.city_id):
        raise Forbidden(_("You have been blocked from commenting."), code="blocked")
    return author


def _check_stance(stance: str) -> None:
    if stance not in ("", *Stance.values):
        raise Invalid(_("Choose a valid stance."), field="stance", code="invalid")


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise Invalid(_("Choose a language."), field="language", code="invalid")


def _lock_comment(comment: Comment, gone: str) -> Comment:
    """The comment's row, locked and as it is now; refused with `gone` when the
    row no longer exists."""
    fresh = lock_row(Comment, comment.pk)
    if fresh is None:
        raise Invalid(gone, code="gone")
    return fresh


@transaction.atomic
def comment_create(
    *,
    discussion: Discussion,
    participant: Actor,
    text: str,
    stance: str = "",
    parent: Comment | None = None,
    language: str | None = None,
) -> Comment:
    """Post a comment (or, with `parent`, a reply) in `discussion`.

    `language` is the language the text is written in; the page's
    (`current_text_language`) when not given."""
    author = _check_can_write(discussion, participant)
    cleaned = _clean_comment_text(text)
    _check_stance(stance)
    language = language or current_text_language()
    _check_language(language)
    if parent is not None:
        if parent.discussion_id != discussion.pk:
            raise Invalid(
                _("That comment is not in this discussion."), code="wrong_discussion"
            )
        # Replies stay one level deep: a reply to a reply joins the same thread.
        # Locked and read afresh: the caller's copy may predate a moderation, and
        # a moderator hiding it now waits until the reply is in (or refused).
        parent = lock_row(Comment, parent.parent_id or parent.pk)
        if parent is None or parent.status != CommentStatus.VISIBLE:
            raise Invalid(
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
        raise Invalid(
            _("You have already posted this same comment."),
            field="text",
            code="duplicate",
        )
    _rate_limit("comment", participant)
    premoderate = discussion.premoderated and not rules.test_rule(
        "discussions.skip_premoderation", participant, discussion
    )
    comment = Comment.objects.create(
        discussion=discussion,
        parent=parent,
        text=cleaned,
        language=language,
        stance=stance,
        content_hash=digest,
        status=CommentStatus.PENDING,
        first_published_at=None,  # set by _set_status once it is shown
        **author,
    )
    if not premoderate:
        _set_status(comment, CommentStatus.VISIBLE)
        _notify_reply(comment)
    else:
        moderators_notify(comment)
    if comment.author_id is not None:
        # Commenters follow what they discussed (a daily digest unless chosen).
        follow_default(user=participant.user, target=target_object(discussion))
    return comment


def comment_reply(
    *, parent: Comment, participant: Actor, text: str, language: str | None = None
) -> Comment:
    """Reply to `parent` (replies to replies join the same thread)."""
    return comment_create(
        discussion=parent.discussion,
        participant=participant,
        text=text,
        parent=parent,
        language=language,
    )


@transaction.atomic
def comment_edit(
    *,
    comment: Comment,
    participant: Actor,
    text: str,
    stance: str | None = None,
    language: str | None = None,
) -> Comment:
    """The author changes their comment (and the language it is recorded in)
    within 15 minutes of posting it."""
    if not _is_own(comment, participant):
        raise Forbidden(_("You can only edit your own comments."), code="not_author")
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        raise Invalid(
            _("Comments can be edited for 15 minutes after posting."), code="too_late"
        )
    gone = _("This comment can no longer be edited.")
    # Locked and read afresh: a moderator may have hidden it (or the author
    # deleted it in another tab) since the caller read it.
    fresh = _lock_comment(comment, gone)
    if not rules.test_rule("discussions.edit_comment", participant, fresh):
        raise Invalid(gone, code="gone")
    _check_can_write(comment.discussion, participant)
    cleaned = _clean_comment_text(text)
    if stance is not None:
        _check_stance(stance)
    if language is not None:
        _check_language(language)
    _rate_limit("comment", participant)
    comment.text = cleaned
    comment.content_hash = _content_hash(cleaned)
    if stance is not None:
        comment.stance = stance
    if language is not None:
        comment.language = language
    comment.edited_at = timezone.now()
    comment.save(
        update_fields=[
            "text",
            "content_hash",
            "stance",
            "language",
            "edited_at",
            "updated_at",
        ]
    )
    searchables.reindex_on_commit("comment", comment.pk)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, participant: Actor) -> Comment:
    """The author deletes their comment; its replies stay under a placeholder."""
    if not _is_own(comment, participant):
        raise Forbidden(_("You can only delete your own comments."), code="not_author")
    gone = _("This comment is already deleted.")
    comment = _lock_comment(comment, gone)
    if comment.status == CommentStatus.DELETED:
        raise Invalid(gone, code="gone")
    _set_status(comment, CommentStatus.DELETED)
    comment.text = ""
    comment.content_hash = ""
    comment.save(update_fields=["text", "content_hash", "updated_at"])
    return comment


@transaction.atomic
def comment_like(*, comment: Comment, participant: Actor) -> bool:
    """Like a comment; False (and no change) when the person already likes it."""
    if not participant.is_registered:
        raise Forbidden(_("Log in to like comments."), code="login_required")
    gone = _("This comment cannot be liked.")
    if comment.status != CommentStatus.VISIBLE:
        raise Invalid(gone, code="gone")
    _rate_limit("like", participant)
    # The row lock orders concurrent likes of one comment; the unique constraint
    # is the backstop, so the counter moves exactly once per row inserted. The
    # fresh row is checked again: it may have been hidden since it was read.
    if _lock_comment(comment, gone).status != CommentStatus.VISIBLE:
        raise Invalid(gone, code="gone")
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
def comment_unlike(*, comment: Comment, participant: Actor) -> bool:
    """Take a like back; False when there was none."""
    if not participant.is_registered:
        raise Forbidden(_("Log in to like comments."), code="login_required")
    _rate_limit("like", participant)
    if lock_row(Comment, comment.pk) is None:
        return False  # Gone, and its likes with it.
    deleted, _rows = CommentLike.objects.filter(
        comment=comment, user=participant.user
    ).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") - 1)
    return bool(deleted)


@transaction.atomic
def comment_report(
    *, comment: Comment, participant: Actor, reason: str
) -> CommentReport:
    """Report a comment; at the discussion's threshold it is hidden for review."""
    cleaned = _clean_reason(reason)
    if not participant.identity:
        raise Forbidden(
            _("Your browser did not keep a session; try again."), code="no_session"
        )
    if _is_own(comment, participant):
        raise Invalid(_("You cannot report your own comment."), code="own")
    gone = _("This comment is no longer shown.")
    if not rules.test_rule("discussions.report_comment", participant, comment):
        raise Invalid(gone, code="gone")
    who = (
        {"reporter": participant.user}
        if participant.is_registered
        else {"reporter_key": participant.anonymous_key}
    )
    if CommentReport.objects.filter(comment=comment, **who).exists():
        raise Invalid(_("You have already reported this comment."), code="duplicate")
    _rate_limit("report", participant)
    discussion = comment.discussion
    comment = _lock_comment(comment, gone)
    comment.discussion = discussion
    # Checked again on the locked row: a moderator may have hidden it meanwhile.
    if not rules.test_rule("discussions.report_comment", participant, comment):
        raise Invalid(gone, code="gone")
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reason=cleaned, **who
            )
    except IntegrityError as error:
        raise Invalid(
            _("You have already reported this comment."), code="duplicate"
        ) from error
    comment.report_count = CommentReport.objects.filter(
        comment=comment, resolved=False
    ).count()
    comment.save(update_fields=["report_count", "updated_at"])
    if comment.report_count == 1:  # it has just entered the moderators' queue
        moderators_notify(comment)
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
