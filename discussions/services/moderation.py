"""Moderators' decisions: hiding, restoring and approving comments, and
blocking people from commenting."""

from __future__ import annotations

import rules
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import searchables
from core.actors import Actor
from core.errors import Conflict, Forbidden, Invalid
from core.locking import lock_row
from core.models import City
from core.text.analysis import LANGUAGES
from discussions.models import (
    Comment,
    CommentingBlock,
    CommentReport,
    CommentStatus,
    Discussion,
    ModerationAction,
    ModerationActionKind,
)
from discussions.services.common import (
    _clean_reason,
    _notify_reply,
    _set_status,
)


def _require_moderator(user: User, city: City | int | None) -> None:
    if not rules.test_rule("discussions.moderate", user, city):
        raise Forbidden(
            _("Only the city's moderators can do that."), code="not_moderator"
        )


def _moderate(
    *, comment: Comment, moderator: User, kind: str, status: str, reason: str
) -> Comment:
    gone = _("The author has deleted this comment.")
    # The comment, then its discussion (the order every comment write takes);
    # the city is only read, by its id, for the permission check.
    comment = lock_row(Comment, comment.pk)
    if comment is None:
        raise Invalid(gone, code="gone")
    comment.discussion = lock_row(Discussion, comment.discussion_id)
    _require_moderator(moderator, comment.discussion.city_id)
    if comment.status == CommentStatus.DELETED:
        raise Invalid(gone, code="gone")
    was_pending = comment.status == CommentStatus.PENDING
    if kind == ModerationActionKind.RESTORE and was_pending:
        # Decided on the locked row: showing a pending comment approves it.
        kind = ModerationActionKind.APPROVE
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
    return _moderate(
        comment=comment,
        moderator=moderator,
        kind=ModerationActionKind.RESTORE,
        status=CommentStatus.VISIBLE,
        reason=cleaned,
    )


@transaction.atomic
def comment_language_set(
    *, comment: Comment, moderator: User, language: str
) -> Comment:
    """A moderator corrects the recorded language of a comment's text (it changes
    how the text is marked up and analysed, not the text)."""
    if language not in LANGUAGES:
        raise Invalid(_("Choose a language."), field="language", code="invalid")
    fresh = lock_row(Comment, comment.pk)
    if fresh is None:
        raise Invalid(_("The author has deleted this comment."), code="gone")
    fresh.discussion = comment.discussion
    if not rules.test_rule(
        "discussions.correct_comment_language", Actor(user=moderator), fresh
    ):
        raise Forbidden(
            _("Only the city's moderators can do that."), code="not_moderator"
        )
    if fresh.language != language:
        fresh.language = language
        fresh.save(update_fields=["language", "updated_at"])
        searchables.reindex_on_commit("comment", fresh.pk)
    comment.language = fresh.language
    return fresh


@transaction.atomic
def user_block(
    *, user: User, city: City | None, moderator: User, reason: str
) -> CommentingBlock:
    """Stop `user` from commenting in `city`."""
    cleaned = _clean_reason(reason)
    _require_moderator(moderator, city)
    if user.pk == moderator.pk:
        raise Invalid(_("You cannot block yourself."), code="self")
    block, created = CommentingBlock.objects.get_or_create(
        user=user,
        city=city,
        defaults={"reason": cleaned, "blocked_by": moderator},
    )
    if not created:
        raise Conflict(_("This user is already blocked."), code="duplicate")
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
    """Let `user` comment in `city` again."""
    cleaned = _clean_reason(reason, required=False)
    _require_moderator(moderator, city)
    deleted, _rows = CommentingBlock.objects.filter(user=user, city=city).delete()
    if not deleted:
        raise Conflict(_("This user is not blocked."), code="not_blocked")
    ModerationAction.objects.create(
        city=city,
        moderator=moderator,
        kind=ModerationActionKind.UNBLOCK,
        subject_user=user,
        reason=cleaned,
    )
