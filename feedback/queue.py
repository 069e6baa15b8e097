"""The handlers' queue: a city's feedback, newest first, filtered and paged.

Reads only, for `feedback.admin_views`. The rows are limited to the cities the
user handles (`feedback.rules.handler_cities`, the query form of
`feedback.handle_item`) before any filter applies, so a filter value naming
another city's service or agency finds nothing. Untrusted query-string values
that are not one of the choices are ignored, never an error. A page costs a
fixed number of queries however many items it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import City
from feedback.models import (
    Agency,
    FeedbackItem,
    FeedbackService,
    Kind,
    Status,
    Visibility,
)
from feedback.rules import handler_cities

PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 200


@dataclass
class QueueFilters:
    """The filters as chosen; each empty when not filtered on."""

    city: City | None = None
    status: str = ""
    service: int | None = None
    kind: str = ""
    visibility: str = ""
    agency: int | None = None
    mine: bool = False
    overdue: bool = False
    q: str = ""
    # The filters as they were given, to draw the form again.
    values: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return any(
            (
                self.city,
                self.status,
                self.service,
                self.kind,
                self.visibility,
                self.agency,
                self.mine,
                self.overdue,
                self.q,
            )
        )


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def filters_from(params, cities: list[City], *, overdue: bool = False) -> QueueFilters:
    """Read the filters from a query string; anything unknown is left out."""
    slug = params.get("city", "")
    filters = QueueFilters(
        city=next((c for c in cities if c.slug == slug), None),
        status=params.get("status", "")
        if params.get("status") in Status.values
        else "",
        service=_int(params.get("service")),
        kind=params.get("kind", "") if params.get("kind") in Kind.values else "",
        visibility=(
            params.get("visibility", "")
            if params.get("visibility") in Visibility.values
            else ""
        ),
        agency=_int(params.get("agency")),
        mine=params.get("mine") == "1",
        overdue=overdue or params.get("overdue") == "1",
        q=params.get("q", "").strip()[:SEARCH_MAX_LENGTH],
    )
    filters.values = {
        "city": filters.city.slug if filters.city else "",
        "status": filters.status,
        "service": str(filters.service or ""),
        "kind": filters.kind,
        "visibility": filters.visibility,
        "agency": str(filters.agency or ""),
        "mine": "1" if filters.mine else "",
        "overdue": "1" if filters.overdue else "",
        "q": filters.q,
    }
    return filters


def overdue_q(now=None) -> Q:
    """Expected by a time that has passed, and not done."""
    return Q(expected_at__lt=now or timezone.now()) & ~Q(status=Status.DONE)


def queue_items(*, user, filters: QueueFilters) -> QuerySet[FeedbackItem]:
    """The items `user` handles that match `filters`, newest first."""
    items = FeedbackItem.objects.filter(city__in=handler_cities(user))
    if filters.city is not None:
        items = items.filter(city=filters.city)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.service:
        items = items.filter(service_id=filters.service)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.visibility:
        items = items.filter(visibility=filters.visibility)
    if filters.agency:
        items = items.filter(agency_id=filters.agency)
    if filters.mine:
        items = items.filter(assigned_to=user)
    if filters.overdue:
        items = items.filter(overdue_q())
    if filters.q:
        number = _int(filters.q.lstrip("#"))
        words = Q(title__icontains=filters.q) | Q(public_title__icontains=filters.q)
        items = items.filter(Q(pk=number) | words if number else words)
    return items.select_related("city", "service", "agency", "assigned_to").order_by(
        "-created_at", "-id"
    )


def queue_page(*, user, filters: QueueFilters, page: str | None) -> Page:
    """One page of the queue: a count and the rows (two queries)."""
    paginator = Paginator(queue_items(user=user, filters=filters), PAGE_SIZE)
    return paginator.get_page(page)


def filter_choices(cities: list[City]) -> dict[str, list]:
    """The services and agencies of the user's cities, for the filter form."""
    return {
        "services": list(
            FeedbackService.objects.filter(city__in=cities)
            .select_related("city")
            .order_by("city__name_fi", "order", "name_fi")
        ),
        "agencies": list(
            Agency.objects.filter(city__in=cities)
            .select_related("city")
            .order_by("city__name_fi", "name_fi")
        ),
    }


def overdue_count(user) -> int:
    return (
        FeedbackItem.objects.filter(city__in=handler_cities(user))
        .filter(overdue_q())
        .count()
    )
