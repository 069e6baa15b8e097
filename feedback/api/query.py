"""The API's reads: public items filtered by a `RequestQuery`, one keyset page.

Only `FeedbackItem.objects.public()` is ever read, and places only by the published
point (`public_lat`/`public_long`). A radius query needs no PostGIS: it first
narrows to the circle's bounding box on the indexed published point, then keeps
the points whose great-circle (haversine) distance is within the radius.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from typing import NamedTuple

from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.functions import Cos, Power, Radians, Sin

from feedback.api.params import ORDERINGS, RequestQuery
from feedback.models import (
    OPEN311_CLOSED,
    FeedbackItem,
    FeedbackPhoto,
    FeedbackService,
    FeedbackStatusChange,
)

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180


# The columns an answer shows: the private original, the contact details and the
# analysed search text are never even read (and reading less is faster).
ITEM_FIELDS = (
    "id",
    "kind",
    "public_title",
    "public_description",
    "address",
    "place_confirmed",
    "public_lat",
    "public_long",
    "service_object_id",
    "service_object_type",
    "status",
    "expected_at",
    "answer",
    "requested_at",
    "updated_at",
    "merged_into_id",
    "service__service_code",
    "service__name_fi",
    "service__name_sv",
    "service__name_en",
    "agency__name_fi",
    "agency__name_sv",
    "agency__name_en",
)


def items_public() -> QuerySet[FeedbackItem]:
    """Public items with what every answer shows, in a fixed number of queries."""
    return (
        FeedbackItem.objects.public()
        .select_related("service", "agency")
        .only(*ITEM_FIELDS)
    )


class Step(NamedTuple):
    """A public step of the handling trail."""

    status: str
    note: str
    created_at: datetime.datetime


def details_attach(items: list[FeedbackItem]) -> None:
    """Give each item `public_photos` (the approved photos' stored names) and
    `public_history` (its public steps): one query each, whatever the page's size,
    read as plain rows (no model instances: the list's cost is mostly Python)."""
    photos: dict[int, list[str]] = defaultdict(list)
    history: dict[int, list[Step]] = defaultdict(list)
    ids = [item.pk for item in items]
    if ids:
        rows = (
            FeedbackPhoto.objects.filter(item_id__in=ids, approved=True)
            .order_by("created_at", "id")
            .values_list("item_id", "image")
        )
        for item_id, name in rows:
            photos[item_id].append(name)
        # status_notes falls back to the last public note: the trail is read always.
        steps = (
            FeedbackStatusChange.objects.filter(item_id__in=ids, internal=False)
            .order_by("created_at", "id")
            .values_list("item_id", "status", "note", "created_at")
        )
        for item_id, *step in steps:
            history[item_id].append(Step(*step))
    # A merged duplicate names the item it was merged into, only if that is public
    # (asked only when the page has duplicates: an EXISTS per row would make
    # PostgreSQL hash every public id).
    merged = {item.merged_into_id for item in items if item.merged_into_id}
    if merged:
        merged = set(
            FeedbackItem.objects.public()
            .filter(pk__in=merged)
            .values_list("pk", flat=True)
        )
    for item in items:
        item.public_photos = photos[item.pk]
        item.public_history = history[item.pk]
        item.merged_into_public = item.merged_into_id in merged


def items_filter(
    queryset: QuerySet[FeedbackItem], query: RequestQuery
) -> QuerySet[FeedbackItem]:
    """`queryset` narrowed by every filter of `query`."""
    if query.city is not None:
        queryset = queryset.filter(city=query.city)
    if query.ids is not None:
        queryset = queryset.filter(pk__in=query.ids)
    if query.service_codes is not None:
        queryset = queryset.filter(service__service_code__in=query.service_codes)
    if query.statuses is not None and set(query.statuses) != {"open", "closed"}:
        closed = Q(status__in=OPEN311_CLOSED)
        queryset = queryset.filter(closed if "closed" in query.statuses else ~closed)
    if query.start is not None:
        queryset = queryset.filter(requested_at__gte=query.start)
    if query.end is not None:
        queryset = queryset.filter(requested_at__lte=query.end)
    if query.updated_after is not None:
        queryset = queryset.filter(updated_at__gte=query.updated_after)
    if query.updated_before is not None:
        queryset = queryset.filter(updated_at__lte=query.updated_before)
    if query.service_object_id is not None:
        queryset = queryset.filter(service_object_id=query.service_object_id)
    if query.service_object_type is not None:
        queryset = queryset.filter(service_object_type=query.service_object_type)
    if query.bbox is not None:
        left, bottom, right, top = query.bbox
        queryset = queryset.filter(
            public_lat__range=(bottom, top), public_long__range=(left, right)
        )
    if query.circle is not None:
        queryset = within_radius(queryset, *query.circle)
    return queryset


def within_radius(
    queryset: QuerySet[FeedbackItem], lat: float, long: float, radius: float
) -> QuerySet[FeedbackItem]:
    """Items whose published point is within `radius` metres of (lat, long)."""
    dlat = radius / METRES_PER_DEGREE
    box = Q(public_lat__range=(max(lat - dlat, -90), min(lat + dlat, 90)))
    cos_lat = math.cos(math.radians(lat))
    # Near a pole or across the antimeridian the box has no longitude bounds.
    if cos_lat > 1e-6:
        dlong = dlat / cos_lat
        if long - dlong >= -180 and long + dlong <= 180:
            box &= Q(public_long__range=(long - dlong, long + dlong))
    # haversine: d <= r  ⇔  hav(d/R) <= hav(r/R), so no asin or sqrt is needed
    # (which would also fail on a rounding error just above 1).
    hav = Power(Sin((Radians(F("public_lat")) - math.radians(lat)) / 2), 2) + Cos(
        Radians(F("public_lat"))
    ) * cos_lat * Power(Sin((Radians(F("public_long")) - math.radians(long)) / 2), 2)
    limit = math.sin(radius / EARTH_RADIUS_M / 2) ** 2
    hav.output_field = FloatField()
    return queryset.filter(box).alias(hav=hav).filter(hav__lte=limit)


def items_page(
    queryset: QuerySet[FeedbackItem], query: RequestQuery
) -> tuple[list[FeedbackItem], FeedbackItem | None]:
    """One page in the asked order after `query.after`, and the page's last item
    when another page follows (None on the last page)."""
    field, newest_first = ORDERINGS[query.order_by]
    if query.after is not None:
        value, pk = query.after
        # The plain bound beside the OR lets the database scan the index range.
        if newest_first:
            queryset = queryset.filter(
                Q(**{f"{field}__lte": value}),
                Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}),
            )
        else:
            queryset = queryset.filter(
                Q(**{f"{field}__gte": value}),
                Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk}),
            )
    order = (f"-{field}", "-pk") if newest_first else (field, "pk")
    rows = list(queryset.order_by(*order)[: query.page_size + 1])
    if len(rows) > query.page_size:
        rows = rows[: query.page_size]
        return rows, rows[-1]
    return rows, None


def services_active(city=None) -> QuerySet[FeedbackService]:
    """The services taking feedback, of `city` when given."""
    services = FeedbackService.objects.filter(is_active=True)
    if city is not None:
        services = services.filter(city=city)
    return services.order_by("city__slug", "order", "service_code")
