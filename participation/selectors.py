"""Reads shared by the pages, the moderation queue and (later) the API.

Each runs a fixed number of queries, however many comments there are:
`comment_thread_page` pages top-level comments with a keyset cursor (no OFFSET, so
a deep page costs what the first does) and loads all their replies in one query.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale, Page

from accounts.models import Role
from accounts.roles import cities_with_role
from participation.models import (
    Comment,
    CommentLike,
    CommentStatus,
    Discussion,
    DiscussionSupport,
    District,
    Lifecycle,
    ModerationAction,
    PlannedServicePage,
)
from participation.services import EDIT_WINDOW, Participant

ORDERS = ("newest", "oldest", "liked")
PAGE_SIZE = 20

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


def _encode_cursor(value, pk: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, order: str):
    """(value, pk) from a cursor, or None when it is not one of ours."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        pk = int(pk)
        if order == "liked":
            value = int(value)
        else:
            value = datetime.fromisoformat(value)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None
    return value, pk


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


def _own(viewer: Participant | None) -> Q | None:
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
    viewer: Participant | None = None,
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
        next_cursor = _encode_cursor(
            last.like_count if order == "liked" else last.created_at, last.pk
        )
    own = _own(viewer)
    ids = [c.pk for c in comments]
    reply_filter = Q(status__in=[CommentStatus.VISIBLE, CommentStatus.HIDDEN])
    if own is not None:
        reply_filter |= Q(status=CommentStatus.PENDING) & own
    replies = (
        list(
            Comment.objects.filter(parent_id__in=ids)
            .filter(reply_filter)
            .select_related("author")
            .order_by("created_at", "id")
        )
        if ids
        else []
    )
    by_parent: dict[int, list[Comment]] = {pk: [] for pk in ids}
    for reply in replies:
        by_parent[reply.parent_id].append(reply)
    for comment in comments:
        comment.thread_replies = by_parent[comment.pk]
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


def _decorate(comment: Comment, viewer: Participant | None, liked: set, now) -> None:
    """Per-viewer flags the templates need, computed without queries."""
    own = False
    if viewer is not None:
        if viewer.is_registered:
            own = comment.author_id == viewer.user.pk
        elif viewer.anonymous_key:
            own = comment.anonymous_key == viewer.anonymous_key
    comment.is_own = own
    comment.is_liked = comment.pk in liked
    comment.can_edit = (
        own
        and comment.status in (CommentStatus.VISIBLE, CommentStatus.PENDING)
        and now - comment.created_at <= EDIT_WINDOW
    )


def support_value_for(
    *, discussion: Discussion, viewer: Participant | None
) -> int | None:
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


# --- Planned services ---------------------------------------------------------


def open_now_filter(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return (
        Q(status=Lifecycle.OPEN)
        & (Q(comments_open_at__isnull=True) | Q(comments_open_at__lte=now))
        & (Q(comments_close_at__isnull=True) | Q(comments_close_at__gt=now))
    )


SERVICE_ORDERS = {
    "newest": ("-first_published_at", "-id"),
    "closing": ("comments_close_at", "id"),
    "title": ("title", "id"),
}


def planned_service_list(
    *,
    parent: Page | None = None,
    open_now: bool = False,
    topic: str = "",
    district: int | None = None,
    status: str = "",
    order: str = "newest",
    limit: int = 50,
) -> list[PlannedServicePage]:
    """Live public planned services (under `parent`, else in the active language),
    filtered and sorted, each with `.discussion` and `.city_name` attached."""
    qs = PlannedServicePage.objects.live().public()
    if parent is not None:
        qs = qs.child_of(parent)
    else:
        qs = qs.filter(locale=Locale.get_active())
    if open_now:
        qs = qs.filter(open_now_filter())
    if status in Lifecycle.values:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topics__slug=topic)
    if district:
        qs = qs.filter(districts__id=district)
    ordering = SERVICE_ORDERS.get(order, SERVICE_ORDERS["newest"])
    pages = list(qs.distinct().order_by(*ordering).prefetch_related("topics")[:limit])
    if order == "closing":
        # Services without a closing date go last.
        pages.sort(key=lambda p: (p.comments_close_at is None,))
    _attach_service_extras(pages)
    return pages


def _attach_service_extras(pages: list[PlannedServicePage]) -> None:
    from cms.models import CityPage

    if not pages:
        return
    discussions = discussions_by_key(
        [("participation.plannedservicepage", p.discussion_key) for p in pages]
    )
    parents = {
        cp.path: cp
        for cp in CityPage.objects.filter(
            path__in={p.path[: -p.steplen] for p in pages}
        ).select_related("city")
    }
    for page in pages:
        page.discussion = discussions.get(page.discussion_key)
        parent = parents.get(page.path[: -page.steplen])
        page._city_cache = parent.city if parent else None


def service_filter_choices(*, parent: Page, city) -> dict:
    """Topics used under `parent` and the city's districts, for the filter form."""
    from taggit.models import Tag

    topics = list(
        Tag.objects.filter(
            participation_plannedservicetag_items__content_object__path__startswith=(
                parent.path
            )
        )
        .distinct()
        .order_by("name")
    )
    districts = list(District.objects.filter(city=city)) if city else []
    return {"topics": topics, "districts": districts}


# --- Moderation ---------------------------------------------------------------


def moderation_queue(*, user, limit: int = 100) -> list[Comment]:
    """Reported, hidden and pending comments in the cities `user` moderates."""
    cities = cities_with_role(user, Role.MODERATOR)
    return list(
        Comment.objects.filter(discussion__city__in=cities)
        .filter(
            Q(status__in=[CommentStatus.PENDING, CommentStatus.HIDDEN])
            | Q(status=CommentStatus.VISIBLE, report_count__gt=0)
        )
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
