"""Every write to discussions, comments, reactions and moderation.

A package split by concern (`threads`, `comments`, `moderation`, and `common`
for what they share); import from `discussions.services`, which re-exports them.

One function per use case, keyword-only, transactional. Each raises a
`ValidationError` or `PermissionDenied` (or `core.errors.RateLimited`: see
`core.errors`) with a clear message and writes nothing
when the input or the actor is not allowed. Counters (`comment_count`,
`like_count`, `reply_count`, support/oppose) change only here, with F() updates on
rows locked with `select_for_update()` in the same transaction, next to a unique
constraint per person, so concurrent clicks cannot make them drift.

Other apps use these for their own discussions (see `discussions.models`).
"""

from discussions.services.comments import (
    comment_create,
    comment_delete,
    comment_edit,
    comment_like,
    comment_reply,
    comment_report,
    comment_unlike,
)
from discussions.services.common import (
    DEFAULT_RATE_LIMITS,
    EDIT_WINDOW,
    RateLimited,
    absolute_url,
)
from discussions.services.moderation import (
    comment_hide,
    comment_restore,
    user_block,
    user_unblock,
)
from discussions.services.threads import (
    discussion_for,
    discussion_support,
    discussion_target,
)

__all__ = [
    "DEFAULT_RATE_LIMITS",
    "EDIT_WINDOW",
    "RateLimited",
    "absolute_url",
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_like",
    "comment_reply",
    "comment_report",
    "comment_unlike",
    "comment_hide",
    "comment_restore",
    "discussion_for",
    "discussion_support",
    "discussion_target",
    "user_block",
    "user_unblock",
]
