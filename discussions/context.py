"""What the discussion include needs, for a view or a page's `get_context`.

Reads only. Other apps (ideas for a dream's page, participation for a planned
service) add `discussion_context(request, discussion)` to their context and include
`discussions/includes/discussion.html`.
"""

from __future__ import annotations

from django.http import HttpRequest

from core.actors import Actor, actor_from_request
from discussions.forms import CommentForm
from discussions.models import Discussion
from discussions.selectors import comment_replies_page, comment_thread_page


def discussion_context(
    request: HttpRequest, discussion: Discussion, *, viewer: Actor | None = None
) -> dict:
    """What `discussions/includes/discussion.html` needs, for any discussion.

    Other apps (e.g. ideas, for a dream's page) add this to their context and
    include the template; the query string's `order` and `after` page the
    comments, and `thread` (with `replies_after`) shows one thread whole.
    """
    viewer = viewer or actor_from_request(request)
    anonymous = not request.user.is_authenticated
    focus = None
    if request.GET.get("thread", "").isdigit():
        # One thread with all its replies, paged (the list shows only the latest).
        focus = comment_replies_page(
            discussion=discussion,
            comment_id=int(request.GET["thread"]),
            viewer=viewer,
            cursor=request.GET.get("replies_after", ""),
        )
    return {
        "discussion": discussion,
        "focus": focus,
        "thread": None
        if focus
        else comment_thread_page(
            discussion=discussion,
            viewer=viewer,
            order=request.GET.get("order", "newest"),
            cursor=request.GET.get("after", ""),
        ),
        "can_comment": discussion.accepts_comments(),
        "needs_login": anonymous and not discussion.allow_anonymous,
        "comment_form": CommentForm(anonymous=anonymous, auto_id="id_comment_%s"),
        "reply_anonymous": anonymous,
        "next_url": request.get_full_path(),
    }
