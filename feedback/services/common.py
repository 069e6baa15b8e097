"""What several feedback services share: the analysed text, the published point,
the first publication decision and a step of the handling trail."""

from __future__ import annotations

from django.utils import timezone

from core.personal_identifiers import contains_personal_identifier
from core.text.analysis import document
from feedback.models import (
    COARSE_DECIMALS,
    FeedbackItem,
    FeedbackService,
    FeedbackStatusChange,
    HeldReason,
    Publication,
    Status,
    Visibility,
)


def search_terms(item: FeedbackItem) -> str:
    """The item's public text analysed for search: never the private original."""
    return document(
        (item.public_title, item.language, 2),
        (item.public_description, item.language, 1),
        (item.answer, item.language, 1),
    )


def search_terms_refresh(item: FeedbackItem) -> None:
    """Write `item.search_terms` afresh; the caller holds the item's row."""
    item.search_terms = search_terms(item)
    FeedbackItem.objects.filter(pk=item.pk).update(search_terms=item.search_terms)


def public_point(
    lat: float | None, long: float | None, *, confirmed: bool
) -> tuple[float | None, float | None]:
    """The point that may be published: rounded to about 100 m unless a handler
    confirmed the exact one reveals no home."""
    if lat is None or long is None:
        return None, None
    if confirmed:
        return lat, long
    return round(lat, COARSE_DECIMALS), round(long, COARSE_DECIMALS)


def held_reason_for(service: FeedbackService, *texts: str) -> str:
    """Why new feedback must wait for a handler ("" when it may be public at once).

    Personal data is checked whatever the service's publication setting."""
    if contains_personal_identifier(*texts):
        return HeldReason.PERSONAL_DATA
    if service.publication == Publication.AFTER_CHECK:
        return HeldReason.SERVICE
    return HeldReason.NONE


def visibility_for(held_reason: str) -> str:
    return Visibility.PENDING if held_reason else Visibility.PUBLIC


def history_add(
    item: FeedbackItem,
    *,
    status: str,
    note: str = "",
    internal: bool = False,
    user=None,
    at=None,
) -> FeedbackStatusChange:
    """Record one step of the handling trail (the caller changes `item.status`)."""
    return FeedbackStatusChange.objects.create(
        item=item,
        status=status,
        note=note,
        internal=internal,
        changed_by=user if user is not None and user.is_authenticated else None,
        created_at=at or timezone.now(),
    )


def closed_at_for(status: str, closed_at=None):
    """When an item in `status` closed: kept while it stays done, cleared otherwise."""
    if status == Status.DONE:
        return closed_at or timezone.now()
    return None
