"""Every write to discussions, comments, reactions and moderation.

A package split by concern (`threads`, `comments`, `moderation`, and `common`
for what they share); import from `discussions.services`, which re-exports them.

One function per use case, keyword-only, transactional. Each refuses with a
service error from `core.errors` (`Invalid`, `Conflict`, `RateLimited`,
`Forbidden`, with a code and, where it belongs, the form field) carrying a clear
message, and writes nothing when the input or the actor is not allowed. Who may
do what is asked of the named rules in `discussions.rules`. Counters
(`comment_count`, `like_count`, `reply_count`, support/oppose) change only here,
with F() updates on rows locked by `core.locking.lock_rows` in the same
transaction (the state checked before the lock is checked again on the fresh
row), next to a unique constraint per person, so concurrent clicks cannot make
them drift.

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
)
from discussions.services.moderation import (
    comment_hide,
    comment_language_set,
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
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_like",
    "comment_reply",
    "comment_report",
    "comment_unlike",
    "comment_hide",
    "comment_language_set",
    "comment_restore",
    "discussion_for",
    "discussion_support",
    "discussion_target",
    "user_block",
    "user_unblock",
]
