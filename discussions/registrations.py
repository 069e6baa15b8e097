"""What discussions adds to the shared registries (activity, header, notifications).

Registered from `DiscussionsConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from discussions import selectors
from discussions.models import Comment, CommentStatus

REPLY_KIND = "discussions.reply"
MODERATION_KIND = "discussions.moderation_needed"


def comment_activity(user, limit: int) -> list[ActivityItem]:
    """The comments and replies `user` wrote, newest first (one query)."""
    comments = (
        Comment.objects.filter(author=user)
        .exclude(status=CommentStatus.DELETED)
        .select_related("discussion")
        .only("pk", "created_at", "parent_id", "discussion__title", "discussion__url")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            kind=_("Replied to a comment")
            if comment.parent_id
            else _("Wrote a comment"),
            title=comment.discussion.title or _("Discussion"),
            url=f"{comment.discussion.url}#comment-{comment.pk}"
            if comment.discussion.url
            else "",
            date=comment.created_at,
        )
        for comment in comments
    ]


def describe_reply(reply: Comment) -> tuple[str, str]:
    """A reply's notification: the discussion's title, the reply's address."""
    discussion = reply.discussion
    url = f"{discussion.url}#comment-{reply.pk}" if discussion.url else ""
    return discussion.title, url


def moderation_waiting_count(user) -> int:
    """Comments waiting for `user` as a moderator (one query): the queue, counted."""
    return selectors.moderation_waiting(user).count()


def reply_visible(reply: Comment) -> bool:
    """A reply is talked about while it is shown."""
    return reply.status == CommentStatus.VISIBLE


def describe_moderation(comment: Comment) -> tuple[str, str]:
    """For moderators: the discussion's title and the moderation queue."""
    return comment.discussion.title, reverse("discussions_admin:moderation")


def moderation_pending(comment: Comment) -> bool:
    """Still waiting for a moderator (not deleted or already restored and clean)."""
    return comment.status != CommentStatus.DELETED
