"""Reads of discussions shared by the pages, the moderation queue and the API.

Each runs a fixed number of queries, however many comments there are:
`comment_thread_page` pages top-level comments with a keyset cursor (no OFFSET, so
a deep page costs what the first does) and loads the latest replies of every thread
in one query; `comment_replies_page` pages a whole thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import rules
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import Role
from accounts.roles import cities_with_role
from core.actors import Actor
from core.cursors import cursor_decode, cursor_encode
from discussions.models import (
    Comment,
    CommentingBlock,
    CommentLike,
    CommentStatus,
    Discussion,
    DiscussionSupport,
    ModerationAction,
)
from discussions.rules import is_comment_author
from discussions.services import EDIT_WINDOW

ORDERS = ("newest", "oldest", "liked")
PAGE_SIZE = 20
# A thread on the discussion page shows its latest replies (so that a reply just
# sent is always on the page it returns to); the rest are on the thread's own page.
REPLIES_SHOWN = 10
REPLIES_PAGE_SIZE = 50

# Shown in the list: visible and hidden comments, and deleted ones that have
# replies (as a placeholder that keeps the thread readable).
_LISTED = Q(status__in=[CommentStatus.VISIBLE, CommentStatus.HIDDEN]) | Q(
    status=CommentStatus.DELETED, reply_count__gt=0
)


@dataclass
class ThreadPage:
    """One page of a discussion: top-level comments, each with `thread_replies`."""

    discussion: Discussion
    comments: list[Comment]
    order: str
    cursor: str
    next_cursor: str | None
    own_pending: list[Comment] = field(default_factory=list)
    liked_ids: set[int] = field(default_factory=set)

    @property
    def is_first(self) -> bool:
        return not self.cursor


def _decode_cursor(cursor: str, order: str):
    """(value, pk) from a cursor, or None when it is not one of ours."""
    return cursor_decode(cursor, kind=int if order == "liked" else datetime)


def _ordered(qs: QuerySet[Comment], order: str, after) -> QuerySet[Comment]:
    if order == "liked":
        if after:
            value, pk = after
            qs = qs.filter(Q(like_count__lt=value) | Q(like_count=value, id__lt=pk))
        return qs.order_by("-like_count", "-id")
    if order == "oldest":
        if after:
            value, pk = after
            qs = qs.filter(Q(created_at__gt=value) | Q(created_at=value, id__gt=pk))
        return qs.order_by("created_at", "id")
    if after:
        value, pk = after
        qs = qs.filter(Q(created_at__lt=value) | Q(created_at=value, id__lt=pk))
    return qs.order_by("-created_at", "-id")


def _own(viewer: Actor | None) -> Q | None:
    if viewer is None:
        return None
    if viewer.is_registered:
        return Q(author=viewer.user)
    if viewer.anonymous_key:
        return Q(anonymous_key=viewer.anonymous_key)
    return None


def comment_thread_page(
    *,
    discussion: Discussion,
    viewer: Actor | None = None,
    order: str = "newest",
    cursor: str = "",
    page_size: int = PAGE_SIZE,
) -> ThreadPage:
    """A page of top-level comments with their replies, and the viewer's reactions.

    Queries: top-level comments, their replies, and, for a known viewer, their
    pending comments, likes and support — the same whatever the number of comments.
    """
    order = order if order in ORDERS else "newest"
    after = _decode_cursor(cursor, order)
    if after is None:
        cursor = ""
    top = _ordered(
        Comment.objects.filter(discussion=discussion, parent__isnull=True)
        .filter(_LISTED)
        .select_related("author"),
        order,
        after,
    )
    comments = list(top[: page_size + 1])
    next_cursor = None
    if len(comments) > page_size:
        comments = comments[:page_size]
        last = comments[-1]
        next_cursor = cursor_encode(
            last.like_count if order == "liked" else last.created_at, last.pk
        )
    own = _own(viewer)
    ids = [c.pk for c in comments]
    replies = _latest_replies(ids, own) if ids else []
    by_parent: dict[int, list[Comment]] = {pk: [] for pk in ids}
    for reply in replies:
        by_parent[reply.parent_id].append(reply)
    for comment in comments:
        shown = by_parent[comment.pk]
        shown.reverse()
        comment.thread_replies = shown
        comment.earlier_replies = shown[0].thread_total - len(shown) if shown else 0
    page = ThreadPage(
        discussion=discussion,
        comments=comments,
        order=order,
        cursor=cursor,
        next_cursor=next_cursor,
    )
    if own is not None:
        page.own_pending = list(
            Comment.objects.filter(own, discussion=discussion, parent__isnull=True)
            .filter(status=CommentStatus.PENDING)
            .select_related("author")
            .order_by("-created_at")[:20]
        )
    if viewer is not None and viewer.is_registered:
        shown = ids + [r.pk for r in replies]
        page.liked_ids = set(
            CommentLike.objects.filter(
                user=viewer.user, comment_id__in=shown
            ).values_list("comment_id", flat=True)
        )
    now = timezone.now()
    for comment in [*comments, *replies, *page.own_pending]:
        _decorate(comment, viewer, page.liked_ids, now)
    return page


def _reply_filter(own: Q | None) -> Q:
    """Replies a viewer sees: visible and hidden ones, and their own pending ones."""
    listed = Q(status__in=[CommentStatus.VISIBLE, CommentStatus.HIDDEN])
    if own is not None:
        listed |= Q(status=CommentStatus.PENDING) & own
    return listed


def _latest_replies(parent_ids: list[int], own: Q | None) -> list[Comment]:
    """The latest `REPLIES_SHOWN` replies of each parent, newest first, in one query;
    each carries `thread_total`, the number of replies the viewer could see."""
    newest_first = [F("created_at").desc(), F("id").desc()]
    return list(
        Comment.objects.filter(parent_id__in=parent_ids)
        .filter(_reply_filter(own))
        .annotate(
            rank=Window(
                RowNumber(), partition_by=F("parent_id"), order_by=newest_first
            ),
            thread_total=Window(Count("id"), partition_by=F("parent_id")),
        )
        .filter(rank__lte=REPLIES_SHOWN)
        .select_related("author")
        .order_by("parent_id", *newest_first)
    )


@dataclass
class RepliesPage:
    """One page of a thread's replies, oldest first."""

    comment: Comment
    replies: list[Comment]
    cursor: str
    next_cursor: str | None
    liked_ids: set[int] = field(default_factory=set)

    @property
    def is_first(self) -> bool:
        return not self.cursor


def comment_replies_page(
    *,
    discussion: Discussion,
    comment_id: int,
    viewer: Actor | None = None,
    cursor: str = "",
    page_size: int = REPLIES_PAGE_SIZE,
) -> RepliesPage | None:
    """A listed top-level comment of `discussion` with one page of its replies and
    the viewer's likes, or None when there is no such comment.

    Queries: the comment, its replies, and the viewer's likes — the same whatever
    the thread's size.
    """
    comment = (
        Comment.objects.filter(
            pk=comment_id, discussion=discussion, parent__isnull=True
        )
        .filter(_LISTED)
        .select_related("author")
        .first()
    )
    if comment is None:
        return None
    after = _decode_cursor(cursor, "oldest")
    if after is None:
        cursor = ""
    replies = list(
        _ordered(
            Comment.objects.filter(parent=comment)
            .filter(_reply_filter(_own(viewer)))
            .select_related("author"),
            "oldest",
            after,
        )[: page_size + 1]
    )
    next_cursor = None
    if len(replies) > page_size:
        replies = replies[:page_size]
        next_cursor = cursor_encode(replies[-1].created_at, replies[-1].pk)
    page = RepliesPage(
        comment=comment, replies=replies, cursor=cursor, next_cursor=next_cursor
    )
    if viewer is not None and viewer.is_registered:
        page.liked_ids = set(
            CommentLike.objects.filter(
                user=viewer.user, comment_id__in=[comment.pk, *(r.pk for r in replies)]
            ).values_list("comment_id", flat=True)
        )
    now = timezone.now()
    comment.thread_replies = replies
    comment.earlier_replies = 0
    for shown in [comment, *replies]:
        _decorate(shown, viewer, page.liked_ids, now)
    return page


def _decorate(comment: Comment, viewer: Actor | None, liked: set, now) -> None:
    """Per-viewer flags the templates need, from the named rules (whose author
    and status predicates run no queries)."""
    comment.is_own = is_comment_author(viewer, comment)
    comment.is_liked = comment.pk in liked
    comment.can_edit = (
        rules.test_rule("discussions.edit_comment", viewer, comment)
        and now - comment.created_at <= EDIT_WINDOW
    )


def support_value_for(*, discussion: Discussion, viewer: Actor | None) -> int | None:
    """The viewer's support (1) or opposition (-1), or None."""
    if viewer is None or not viewer.is_registered:
        return None
    return (
        DiscussionSupport.objects.filter(discussion=discussion, user=viewer.user)
        .values_list("value", flat=True)
        .first()
    )


def discussions_by_key(target_keys: list[tuple[str, str]]) -> dict[str, Discussion]:
    """Discussions for `(target_type, target_key)` pairs, keyed by target key."""
    if not target_keys:
        return {}
    query = Q()
    for target_type, target_key in target_keys:
        query |= Q(target_type=target_type, target_key=target_key)
    return {d.target_key: d for d in Discussion.objects.filter(query)}


# --- Moderation ---------------------------------------------------------------


def moderation_waiting(user) -> QuerySet[Comment]:
    """Reported, hidden and pending comments in the cities `user` moderates."""
    return Comment.objects.filter(
        discussion__city__in=cities_with_role(user, Role.MODERATOR)
    ).filter(
        Q(status__in=[CommentStatus.PENDING, CommentStatus.HIDDEN])
        | Q(status=CommentStatus.VISIBLE, report_count__gt=0)
    )


def moderation_queue(*, user, limit: int = 100) -> list[Comment]:
    """The moderation queue: `moderation_waiting`, newest change first."""
    return list(
        moderation_waiting(user)
        .select_related("author", "discussion", "discussion__city")
        .prefetch_related("reports")
        .order_by("-updated_at", "-id")[:limit]
    )


def moderation_log(*, user, limit: int = 50) -> list[ModerationAction]:
    cities = cities_with_role(user, Role.MODERATOR)
    return list(
        ModerationAction.objects.filter(Q(city__in=cities))
        .select_related("moderator", "comment", "subject_user", "city")
        .order_by("-created_at", "-id")[:limit]
    )


def commenting_block_list(*, user, limit: int = 100) -> list[CommentingBlock]:
    """Commenting blocks in the cities `user` moderates."""
    return list(
        CommentingBlock.objects.filter(
            city__in=cities_with_role(user, Role.MODERATOR)
        ).select_related("user", "city", "blocked_by")[:limit]
    )
