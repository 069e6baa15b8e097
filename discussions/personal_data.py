"""What the discussions store about a person, for `/accounts/me/data/`."""

from discussions.models import (
    Comment,
    CommentingBlock,
    CommentLike,
    CommentReport,
    DiscussionSupport,
)


def discussions_personal_data(user) -> dict:
    """Comments, likes, positions, reports and commenting blocks of `user`."""
    comments = Comment.objects.filter(author=user).select_related("discussion")
    return {
        "comments": [
            {
                "id": comment.pk,
                "on": comment.discussion.title,
                "address": comment.discussion.url,
                "reply_to": comment.parent_id,
                "text": comment.text,
                "language": comment.language,
                "stance": comment.stance,
                "status": comment.status,
                "created_at": comment.created_at,
                "edited_at": comment.edited_at,
            }
            for comment in comments.order_by("created_at")
        ],
        "likes": [
            {"comment": like.comment_id, "created_at": like.created_at}
            for like in CommentLike.objects.filter(user=user).order_by("created_at")
        ],
        "positions": [
            {
                "on": support.discussion.title,
                "value": support.get_value_display(),
                "created_at": support.created_at,
            }
            for support in DiscussionSupport.objects.filter(user=user)
            .select_related("discussion")
            .order_by("created_at")
        ],
        "reports": [
            {
                "comment": report.comment_id,
                "reason": report.reason,
                "created_at": report.created_at,
            }
            for report in CommentReport.objects.filter(reporter=user).order_by(
                "created_at"
            )
        ],
        "commenting_blocks": [
            {"reason": block.reason, "created_at": block.created_at}
            for block in CommentingBlock.objects.filter(user=user).order_by(
                "created_at"
            )
        ],
    }
