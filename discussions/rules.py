"""Who may read and act on a comment: the named rules every view, the API, the
exports and the moderation tools ask.

The subject of these rules is the acting `Actor` (a signed-in user, or an
anonymous participant known by the key in their session), not a `User`: anonymous
authors own their comments too. Ask them with
`rules.test_rule("discussions.view_comment", viewer, comment)`.

A comment's text is public when the comment is visible and what it discusses is
public. This app does not know the things discussed: an app whose targets are not
always public registers, at start-up, a function giving the keys of its public
targets of one type (participation: planned services and sections while some
language version of the service is published). Targets of types nobody registered
are public while their discussion exists (their apps remove it with them).
`public_comments_q()` is the same decision as a query filter for lists and open
data; `comment_is_public` asks that filter about one comment, so the two cannot
disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import rules
from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.roles import cities_with_role
from accounts.rules import is_moderator
from discussions.models import Comment, CommentStatus, Discussion

if TYPE_CHECKING:
    from core.actors import Actor

# target_type -> a function returning a one-column queryset of the target keys
# (as text) of that type's public targets.
_public_targets: dict[str, Callable[[], QuerySet]] = {}


def register_target_visibility(
    target_type: str, public_keys: Callable[[], QuerySet]
) -> None:
    """Declare that discussions about `target_type` are public only while their
    target is: `public_keys()` returns a one-column queryset of the keys (as text,
    like `Discussion.target_key`) of the public targets of that type. Called from
    the owning app's `AppConfig.ready`."""
    _public_targets[target_type] = public_keys


# Statuses in which the author still sees, edits and may delete their comment.
AUTHOR_STATUSES = (CommentStatus.VISIBLE, CommentStatus.PENDING)


def commented_target_is_public_q(prefix: str = "discussion__") -> Q:
    """Discussions whose subject is public, as a filter (on comments by default;
    `prefix=""` on discussions)."""
    public = ~Q(**{f"{prefix}target_type__in": list(_public_targets)})
    for target_type, public_keys in _public_targets.items():
        public |= Q(
            **{
                f"{prefix}target_type": target_type,
                f"{prefix}target_key__in": public_keys(),
            }
        )
    return public


def public_comments_q() -> Q:
    """Comments whose text anyone may read (lists, open data, statistics)."""
    return Q(status=CommentStatus.VISIBLE) & commented_target_is_public_q()


@rules.predicate
def comment_is_public(viewer: Actor | None, comment: Comment) -> bool:
    if comment.status != CommentStatus.VISIBLE:
        return False
    return Comment.objects.filter(pk=comment.pk).filter(public_comments_q()).exists()


@rules.predicate
def is_comment_author(viewer: Actor | None, comment: Comment) -> bool:
    if viewer is None:
        return False
    if viewer.is_registered:
        return comment.author_id == viewer.user.pk
    return (
        viewer.anonymous_key is not None
        and comment.anonymous_key == viewer.anonymous_key
    )


@rules.predicate
def is_comment_moderator(viewer: Actor | None, comment: Comment) -> bool:
    """A moderator of the discussion's city (site admins moderate everywhere)."""
    if viewer is None or not viewer.is_registered:
        return False
    return is_moderator(viewer.user, comment.discussion.city_id)


@rules.predicate
def is_discussion_moderator(viewer: Actor | None, discussion: Discussion) -> bool:
    """A moderator of the discussion's city (site admins moderate everywhere)."""
    if viewer is None or not viewer.is_registered:
        return False
    return is_moderator(viewer.user, discussion.city_id)


@rules.predicate
def moderates_any_city(user, obj=None) -> bool:
    """The user is a moderator in at least one city (site admins in all)."""
    return cities_with_role(user, Role.MODERATOR).exists()


@rules.predicate
def comment_in_author_status(viewer: Actor | None, comment: Comment) -> bool:
    return comment.status in AUTHOR_STATUSES


@rules.predicate
def comment_is_deleted(viewer: Actor | None, comment: Comment) -> bool:
    return comment.status == CommentStatus.DELETED


rules.add_rule(
    "discussions.view_comment",
    comment_is_public
    | (is_comment_author & comment_in_author_status)
    | (is_comment_moderator & ~comment_is_deleted),
)
rules.add_rule("discussions.edit_comment", is_comment_author & comment_in_author_status)
rules.add_rule("discussions.report_comment", comment_is_public & ~is_comment_author)
# Correcting the recorded language of someone else's comment: the city's
# moderators, from the queue (the author corrects their own on the edit page,
# under `discussions.edit_comment`).
rules.add_rule(
    "discussions.correct_comment_language",
    is_comment_moderator & ~comment_is_deleted,
)

# Moderating comments (hide, restore, approve, block people from commenting) in a
# city: the object is the `City` (None: every city, site admins only). Asked by
# the moderation services and so by the admin queue and its actions.
rules.add_rule("discussions.moderate", is_moderator)
# Opening the moderation queue in the admin (and seeing its menu item): a
# moderator of some city; the queue then lists only those cities.
rules.add_rule("discussions.open_moderation_queue", moderates_any_city)
# Posting straight past pre-moderation: the city's moderators (the subject is the
# `Actor`, the object the `Discussion`).
rules.add_rule("discussions.skip_premoderation", is_discussion_moderator)
