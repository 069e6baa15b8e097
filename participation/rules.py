"""Who may read and act on a comment: the named rules every view, the API, the
exports and the moderation tools ask.

The subject of these rules is the acting `Participant` (a signed-in user, or an
anonymous participant known by the key in their session), not a `User`: anonymous
authors own their comments too. Ask them with
`rules.test_rule("participation.view_comment", viewer, comment)`.

A comment's text is public when the comment is visible and what it discusses is
public (for a planned service or its section: some language version of the service
is published). `public_comments_q()` is the same decision as a query filter for
lists and open data; `comment_is_public` asks that filter about one comment, so
the two cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q

from accounts.models import Role
from accounts.roles import has_city_role
from core.db import UUIDText
from participation.models import (
    Comment,
    CommentStatus,
    PlannedServicePage,
    PlannedServiceSection,
)

if TYPE_CHECKING:
    from participation.services import Participant

PLANNED_SERVICE_TARGETS = (
    "participation.plannedservicepage",
    "participation.plannedservicesection",
)
# Statuses in which the author still sees, edits and may delete their comment.
AUTHOR_STATUSES = (CommentStatus.VISIBLE, CommentStatus.PENDING)


def commented_target_is_public_q(prefix: str = "discussion__") -> Q:
    """Discussions whose subject is public: a planned service (or its section) only
    while some language version of the service is published; other targets are
    public while their discussion exists (their apps remove it with them)."""
    live_pages = (
        PlannedServicePage.objects.filter(live=True)
        .annotate(target=UUIDText("translation_key"))
        .values("target")
    )
    live_sections = (
        PlannedServiceSection.objects.filter(page__live=True)
        .annotate(target=UUIDText("key"))
        .values("target")
    )
    return (
        ~Q(**{f"{prefix}target_type__in": PLANNED_SERVICE_TARGETS})
        | Q(**{f"{prefix}target_key__in": live_pages})
        | Q(**{f"{prefix}target_key__in": live_sections})
    )


def public_comments_q() -> Q:
    """Comments whose text anyone may read (lists, open data, statistics)."""
    return Q(status=CommentStatus.VISIBLE) & commented_target_is_public_q()


@rules.predicate
def comment_is_public(viewer: Participant | None, comment: Comment) -> bool:
    if comment.status != CommentStatus.VISIBLE:
        return False
    return Comment.objects.filter(pk=comment.pk).filter(public_comments_q()).exists()


@rules.predicate
def is_comment_author(viewer: Participant | None, comment: Comment) -> bool:
    if viewer is None:
        return False
    if viewer.is_registered:
        return comment.author_id == viewer.user.pk
    return (
        viewer.anonymous_key is not None
        and comment.anonymous_key == viewer.anonymous_key
    )


@rules.predicate
def is_comment_moderator(viewer: Participant | None, comment: Comment) -> bool:
    """A moderator of the discussion's city (site admins moderate everywhere)."""
    if viewer is None or not viewer.is_registered:
        return False
    return has_city_role(viewer.user, comment.discussion.city_id, Role.MODERATOR)


@rules.predicate
def comment_in_author_status(viewer: Participant | None, comment: Comment) -> bool:
    return comment.status in AUTHOR_STATUSES


@rules.predicate
def comment_is_deleted(viewer: Participant | None, comment: Comment) -> bool:
    return comment.status == CommentStatus.DELETED


rules.add_rule(
    "participation.view_comment",
    comment_is_public
    | (is_comment_author & comment_in_author_status)
    | (is_comment_moderator & ~comment_is_deleted),
)
rules.add_rule(
    "participation.edit_comment", is_comment_author & comment_in_author_status
)
rules.add_rule("participation.report_comment", comment_is_public & ~is_comment_author)
