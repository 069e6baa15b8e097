"""What feedback intake adds to the shared registries (activity, personal data).

Registered from `FeedbackConfig.ready()`; reads only.
"""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from core.searchables import Document
from discussions.registrations import COMMENT_SEARCH_KIND, comment_ids_of_targets
from discussions.targets import Places, int_keys, places_from_rows
from feedback.models import FeedbackItem, Status, tracking_token_hash

NEW_KIND = "feedback.new_item"


def feedback_activity(user, limit: int) -> list[ActivityItem]:
    """The feedback `user` sent while signed in, newest first (one query). Each
    links to the sender's own follow-up page, which shows pending items too."""
    items = (
        FeedbackItem.objects.filter(author=user)
        .only("pk", "title", "requested_at", "status", "withdrawn_at")
        .order_by("-requested_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            kind=_("Gave feedback"),
            title=item.title,
            url=reverse("feedback:mine", kwargs={"pk": item.pk}),
            date=item.requested_at,
            state=_state(item),
        )
        for item in items
    ]


def _state(item: FeedbackItem) -> str:
    if item.withdrawn_at is not None:
        return str(_("Withdrawn"))
    return str(Status(item.status).label)


# The follow-up links of feedback sent without an account, remembered in the
# browser's session by the submit view (at most this many, newest kept).
SESSION_KEY = "feedback_follow_up"
SESSION_MAX = 20


def follow_up_remember(session, token: str) -> None:
    """Remember a follow-up link in this browser's session (the submit view)."""
    tokens = [t for t in session.get(SESSION_KEY, []) if t != token]
    session[SESSION_KEY] = [token, *tokens][:SESSION_MAX]


def follow_up_activity(session) -> list[ActivityItem]:
    """The feedback this browser sent without an account, with its current
    state, each linked to its private follow-up page (one query)."""
    tokens = [t for t in session.get(SESSION_KEY, []) if isinstance(t, str)]
    if not tokens:
        return []
    by_hash = {tracking_token_hash(token): token for token in tokens[:SESSION_MAX]}
    items = FeedbackItem.objects.filter(tracking_token_hash__in=list(by_hash)).only(
        "pk", "title", "requested_at", "status", "withdrawn_at", "tracking_token_hash"
    )
    return [
        ActivityItem(
            kind=_("Gave feedback"),
            title=item.title,
            url=reverse(
                "feedback:track", kwargs={"token": by_hash[item.tracking_token_hash]}
            ),
            date=item.requested_at,
            state=_state(item),
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


def item_visible(item: FeedbackItem) -> bool:
    """Followers hear only of public items that were not merged away."""
    return item.is_public and item.merged_into_id is None


def item_for_key(key: str) -> FeedbackItem | None:
    return FeedbackItem.objects.filter(pk=key).first() if key.isdigit() else None


def describe_new_item(item: FeedbackItem) -> tuple[str, str]:
    """For handlers: the item's number (its title may be private) and its page
    in the handling queue."""
    return (
        _("Feedback #%(number)s") % {"number": item.pk},
        reverse("feedback_admin:item", kwargs={"item_id": item.pk}),
    )


def item_not_withdrawn(item: FeedbackItem) -> bool:
    return item.withdrawn_at is None


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


def feedback_places(keys: Collection[str]) -> dict[str, Places]:
    """The district of the items these discussion keys name (one query; items
    have no topics): the comments on an item are found where the item is."""
    rows = (
        FeedbackItem.objects.filter(pk__in=int_keys(keys))
        .order_by()
        .values_list("pk", "district_id")
    )
    return places_from_rows((pk, district, None) for pk, district in rows)
