"""What the knowledge base adds to the shared registries (header, discussions).

Called once from `FeedbackConfig.ready()`.
"""

from __future__ import annotations

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from feedback.models import FeedbackItem


def public_item_keys() -> QuerySet:
    """The discussion keys (ids as text) of the public items."""
    return (
        FeedbackItem.objects.public()
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )


def register_knowledge_base() -> None:
    from accounts import header
    from discussions.rules import register_target_visibility

    header.register("feedback.list", label=_("Feedback"), url="feedback:list", order=30)
    # Comments on an item are public only while the item is.
    register_target_visibility(FeedbackItem._meta.label_lower, public_item_keys)
