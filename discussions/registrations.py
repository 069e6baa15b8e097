"""What discussions adds to the shared registries (activity, header, notifications).

Registered from `DiscussionsConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from accounts.models import Role
from accounts.roles import cities_with_role
from discussions.models import Comment, CommentStatus

REPLY_KIND = "discussions.reply"


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
    """Comments waiting for `user` as a moderator (one query).

    The same filter as `discussions.selectors.moderation_queue`, counted.
    """
    return (
        Comment.objects.filter(
            discussion__city__in=cities_with_role(user, Role.MODERATOR)
        )
        .filter(
            Q(status__in=[CommentStatus.PENDING, CommentStatus.HIDDEN])
            | Q(status=CommentStatus.VISIBLE, report_count__gt=0)
        )
        .count()
    )
