"""What discussions adds to the shared registries (activity, header,
notifications, search).

Registered from `DiscussionsConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from core.searchables import Document
from discussions import selectors, targets
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


# --- Search ---------------------------------------------------------------------

COMMENT_SEARCH_KIND = "comment"


def _public_comments():
    from discussions.rules import public_comments_q

    return Comment.objects.filter(public_comments_q())


def comment_documents(ids) -> list[Document]:
    """The public comments among `ids` as search documents: the discussion's city
    and its target's districts and topics (`targets.target_places`). One query,
    and one more per target type among them (however many comments)."""
    comments = list(
        _public_comments()
        .filter(pk__in=ids)
        .select_related("discussion")
        .only(
            "pk",
            "text",
            "language",
            "created_at",
            "discussion__title",
            "discussion__url",
            "discussion__city_id",
            "discussion__target_type",
            "discussion__target_key",
        )
    )
    keys_by_type: dict[str, set[str]] = {}
    for comment in comments:
        discussion = comment.discussion
        keys_by_type.setdefault(discussion.target_type, set()).add(
            discussion.target_key
        )
    places = {
        target_type: targets.target_places(target_type, keys)
        for target_type, keys in keys_by_type.items()
    }
    documents = []
    for comment in comments:
        discussion = comment.discussion
        district_ids, topic_ids = places[discussion.target_type].get(
            discussion.target_key, targets.NO_PLACES
        )
        documents.append(
            Document(
                kind=COMMENT_SEARCH_KIND,
                object_id=comment.pk,
                language=comment.language,
                title=discussion.title,
                body=comment.text,
                url=f"{discussion.url}#comment-{comment.pk}",
                date=comment.created_at,
                city_id=discussion.city_id,
                district_ids=district_ids,
                topic_ids=topic_ids,
            )
        )
    return documents


def public_comment_ids():
    return _public_comments().values_list("pk", flat=True).iterator()


def comment_ids_of_targets(target_type: str, keys) -> list[int]:
    """Every comment in the discussions of these targets (their visibility
    follows the target's, so the search rereads them when it changes)."""
    return list(
        Comment.objects.filter(
            discussion__target_type=target_type,
            discussion__target_key__in=[str(key) for key in keys],
        ).values_list("pk", flat=True)
    )
