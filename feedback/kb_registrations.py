"""What the knowledge base adds to the shared registries (header, activity,
discussions).

Called once from `FeedbackConfig.ready()`.
"""

from __future__ import annotations

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.activity import ActivityItem
from feedback.models import FeedbackItem, FeedbackSupport


def public_item_keys() -> QuerySet:
    """The discussion keys (ids as text) of the public items."""
    return (
        FeedbackItem.objects.public()
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )


def support_activity(user, limit: int) -> list[ActivityItem]:
    """The public feedback `user` said "me too" about, newest first (one query)."""
    supports = (
        FeedbackSupport.objects.filter(
            user=user, item__in=FeedbackItem.objects.public()
        )
        .select_related("item")
        .only("pk", "created_at", "item__id", "item__public_title")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            kind=gettext("Said “me too” about feedback"),
            title=support.item.public_title,
            url=support.item.get_absolute_url(),
            date=support.created_at,
        )
        for support in supports
    ]


def register_knowledge_base() -> None:
    from accounts import activity, header
    from discussions.rules import register_target_visibility

    header.register("feedback.list", label=_("Feedback"), url="feedback:list", order=30)
    activity.register("feedback.supports", support_activity)
    # Comments on an item are public only while the item is.
    register_target_visibility(FeedbackItem._meta.label_lower, public_item_keys)
