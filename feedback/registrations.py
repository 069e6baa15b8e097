"""What feedback intake adds to the shared registries (activity, personal data).

Registered from `FeedbackConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from core.searchables import Document
from discussions.registrations import COMMENT_SEARCH_KIND, comment_ids_of_targets
from feedback.models import FeedbackItem


def feedback_activity(user, limit: int) -> list[ActivityItem]:
    """The feedback `user` sent while signed in, newest first (one query). Each
    links to the sender's own follow-up page, which shows pending items too."""
    items = (
        FeedbackItem.objects.filter(author=user)
        .only("pk", "title", "requested_at")
        .order_by("-requested_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            kind=_("Gave feedback"),
            title=item.title,
            url=reverse("feedback:mine", kwargs={"pk": item.pk}),
            date=item.requested_at,
        )
        for item in items
    ]


def feedback_personal_data(user) -> list[dict]:
    """Everything a signed-in sender's feedback holds about them, for the export."""
    items = (
        FeedbackItem.objects.filter(author=user)
        .select_related("service", "district")
        .order_by("requested_at", "id")
    )
    return [
        {
            "id": item.pk,
            "service": item.service.service_code,
            "kind": item.kind,
            "title": item.title,
            "description": item.description,
            "language": item.language,
            "address": item.address,
            "lat": item.lat,
            "long": item.long,
            "district": item.district.name if item.district else "",
            "email": item.email,
            "first_name": item.first_name,
            "last_name": item.last_name,
            "phone": item.phone,
            "status": item.status,
            "answer": item.answer,
            "requested_at": item.requested_at,
            "withdrawn_at": item.withdrawn_at,
            "follow_up": reverse("feedback:mine", kwargs={"pk": item.pk}),
        }
        for item in items
    ]


# --- Search ---------------------------------------------------------------------

FEEDBACK_SEARCH_KIND = "feedback"


def feedback_documents(ids) -> list[Document]:
    """The public items among `ids`, their public text only (what a handler
    redacted, never the sender's original words), with the city's answer: the
    knowledge base's answers are found by their question and answer alike."""
    items = (
        FeedbackItem.objects.public()
        .filter(pk__in=ids)
        .only(
            "pk",
            "public_title",
            "public_description",
            "answer",
            "language",
            "requested_at",
            "city_id",
            "district_id",
        )
    )
    return [
        Document(
            kind=FEEDBACK_SEARCH_KIND,
            object_id=item.pk,
            language=item.language,
            title=item.public_title,
            body="\n".join(filter(None, [item.public_description, item.answer])),
            url=item.get_absolute_url(),
            date=item.requested_at,
            city_id=item.city_id,
            district_ids=(item.district_id,) if item.district_id else (),
        )
        for item in items
    ]


def public_feedback_ids():
    return FeedbackItem.objects.public().values_list("pk", flat=True).iterator()


def feedback_dependents(ids) -> dict[str, list[int]]:
    """The comments on an item are public only while the item is."""
    target = FeedbackItem._meta.label_lower
    return {COMMENT_SEARCH_KIND: comment_ids_of_targets(target, ids)}
