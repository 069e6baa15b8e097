"""The read-only open data API: one list endpoint per dataset, the downloads and the
catalog. Thin: the registry (`opendata.datasets`) decides rows and columns."""

import hashlib
import heapq
import itertools
import json
from collections.abc import AsyncIterator, Iterator
from types import SimpleNamespace

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db.models import Count, Max, Q
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext, ngettext
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError, Throttled
from rest_framework.generics import ListAPIView
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.apikeys import KEY_SCHEME
from core.ratelimit import Rate, add_rate_headers, api_rate
from opendata import advice_datasets, catalog, datasets, filters, formats, schema, stats
from opendata.datasets import Dataset
from opendata.models import Tombstone

LIVE, REMOVED = 0, 1


class DatasetPagination(CursorPagination):
    """Keyset pages ordered by (updated_at, id), at most 1,000 rows.

    For readers who sync (`updated_since`), the dataset's rows and its recorded
    tombstones (`opendata.Tombstone`) are merged into one list in the same order;
    its cursor is the exact position (updated_at, id, source), and each page reads
    at most page_size + 1 rows from each side, so a deep page costs what the first
    one does. Sync lists go forward only (no `previous`).
    """

    ordering = ("updated_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    merged = False

    def decode_cursor(self, request):
        """The request's cursor, or a 400 for anything that is not one of ours.

        DRF answers a cursor it cannot decode with 404 and passes a decodable one
        with a nonsense position (`?cursor=cD14` is "p=8") on to the database,
        which then fails with a 500: both are the client's mistake."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ParseError(self.invalid_cursor_message) from None
        if cursor is None:
            return None
        # Ours always say where they are; DRF reads any other text as "the start".
        if cursor.position is None and not cursor.offset and not cursor.reverse:
            raise ParseError(self.invalid_cursor_message)
        if cursor.position is not None and not self.merged:
            if filters.parse_time(cursor.position) is None:
                raise ParseError(self.invalid_cursor_message)
        return cursor

    def get_page_size(self, request) -> int:
        """The page size asked for (at most max_page_size), or the default; a
        value that is not a whole number of at least 1 is a 400."""
        value = request.query_params.get(self.page_size_query_param)
        if not value:
            return self.page_size
        return min(filters.page_size(value), self.max_page_size)

    def _after(self) -> tuple | None:
        if self.cursor is None:
            return None
        try:
            stamp, pk, source = self.cursor.position.split("|")
            after = (filters.parse_time(stamp), int(pk), int(source))
        except (AttributeError, ValueError):
            after = (None,)
        low, high = filters.ID_RANGE
        if after[0] is None or not low <= after[1] <= high:
            raise ParseError(self.invalid_cursor_message)
        if after[2] not in (LIVE, REMOVED):
            raise ParseError(self.invalid_cursor_message)
        return after

    def paginate_merged(self, live, removed, request, view=None) -> list:
        self.request = request
        self.merged = True
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.cursor = self.decode_cursor(request)
        field = self.ordering[0]
        live = live.order_by(*self.ordering)
        removed = removed.order_by("removed_at", "object_id")
        after = self._after()
        if after:
            stamp, pk, source = after
            # The plain `>=` bound lets the index on the time start the scan at
            # the cursor; the OR alone makes PostgreSQL walk every earlier row.
            live = live.filter(**{f"{field}__gte": stamp}).filter(
                Q(**{f"{field}__gt": stamp}) | Q(**{field: stamp, "pk__gt": pk})
            )
            later = Q(removed_at__gt=stamp) | Q(removed_at=stamp, object_id__gt=pk)
            if source == LIVE:  # a tombstone at the very same place comes next
                later |= Q(removed_at=stamp, object_id=pk)
            removed = removed.filter(removed_at__gte=stamp).filter(later)
        wanted = self.page_size + 1
        merged = heapq.merge(
            ((getattr(o, field), o.pk, LIVE, o) for o in live[:wanted]),
            (
                (t.removed_at, t.object_id, REMOVED, _removed_row(t))
                for t in removed[:wanted]
            ),
            key=lambda item: item[:3],
        )
        items = list(itertools.islice(merged, wanted))
        self.has_next = len(items) > self.page_size
        items = items[: self.page_size]
        self.next_after = items[-1][:3] if self.has_next else None
        self.has_previous = False
        self.page = _without_repeated_tombstones(item[3] for item in items)
        return self.page

    def get_next_link(self):
        if not self.merged:
            return super().get_next_link()
        if not self.next_after:
            return None
        stamp, pk, source = self.next_after
        position = f"{stamp.isoformat()}|{pk}|{source}"
        return self.encode_cursor(Cursor(offset=0, reverse=False, position=position))

    def get_previous_link(self):
        return None if self.merged else super().get_previous_link()

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["next", "previous", "results"]
        return paginated


def _without_repeated_tombstones(rows) -> list:
    """A row withdrawn and then changed while hidden (or recorded and seen hidden)
    would say "removed" twice on one page: only the later one is kept."""
    page: list = []
    last: dict = {}
    for row in rows:
        earlier = last.get(row.pk)
        if earlier is not None and not getattr(row, "od_public", True):
            if not getattr(page[earlier], "od_public", True):
                page[earlier] = None
        last[row.pk] = len(page)
        page.append(row)
    return [row for row in page if row is not None]


def _removed_row(tombstone: Tombstone) -> SimpleNamespace:
    """A recorded tombstone as the registry's rows see a removed row."""
    return SimpleNamespace(
        pk=tombstone.object_id, od_public=False, updated_at=tombstone.removed_at
    )


def anonymous_limit() -> int:
    return getattr(settings, "OPENDATA_ANON_PER_MINUTE", 60)


def key_limit() -> int:
    """The limit of a client sending an API key (every key has `read`)."""
    return getattr(settings, "OPENDATA_KEY_PER_MINUTE", 600)


def too_many_requests(wait: int) -> Throttled:
    """A 429 whose message is all in the reader's language. (DRF's own joins a
    translated sentence to one it cannot translate: its plural is looked up
    after the number is put in.)"""
    refusal = Throttled(
        detail=ngettext(
            "Too many requests: try again in %(wait)d second.",
            "Too many requests: try again in %(wait)d seconds.",
            wait,
        )
        % {"wait": wait}
    )
    refusal.wait = wait  # DRF's handler turns it into Retry-After
    return refusal


class ThrottledMixin:
    """The open data limit (higher with an API key), counted in the cache and
    stated in every response; messages in the reader's language.

    The API's addresses carry no language prefix, which the site reads as
    Finnish: here the language comes from the request instead (the language
    cookie, then Accept-Language, then Finnish), so an error is all in one
    language the reader asked for. The data itself is the same in every language.
    """

    _rate: Rate | None = None
    # The page's heading in the browsable API, per language; DRF's default is the
    # class name in English ("Api Root").
    titles: dict[str, str] | None = None

    def get_view_name(self) -> str:
        if not self.titles:
            return super().get_view_name()
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return self.titles.get(language, self.titles["en"])

    def initial(self, request, *args, **kwargs):
        translation.activate(
            translation.get_language_from_request(request._request, check_path=False)
        )
        request._request.LANGUAGE_CODE = translation.get_language()
        # The header's language switcher then sets the cookie instead of linking
        # to a prefixed address (the API's addresses have none).
        request._request.language_from_cookie = True
        self._rate = api_rate(
            request,
            name="od",
            anonymous_limit=anonymous_limit(),
            key_limit=key_limit(),
        )
        if not self._rate.allowed:
            raise too_many_requests(self._rate.reset)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        # Streaming and plain bodies must not go through the renderers.
        if isinstance(response, Response):
            response = super().finalize_response(request, response, *args, **kwargs)
        if self._rate:
            add_rate_headers(response, self._rate)
        if response.status_code == 401:
            response["WWW-Authenticate"] = KEY_SCHEME
        return response


def list_view_for(dataset: Dataset):
    serializer_class = schema.serializer_for(dataset)
    filterset_class = filters.filterset_for(dataset)

    class Pagination(DatasetPagination):
        ordering = (dataset.updated_field, "id")

    @extend_schema_view(
        get=extend_schema(
            summary=dataset.title["en"],
            description=dataset.description["en"],
            tags=["datasets"],
            responses={
                200: schema.row_or_tombstone(serializer_class),
                **schema.ERRORS,
            },
        )
    )
    class DatasetList(ThrottledMixin, ListAPIView):
        pagination_class = Pagination

        @property
        def syncing(self) -> bool:
            return "updated_since" in self.request.query_params

        def get_queryset(self):
            # Tombstones only for readers who sync: they need to delete rows.
            return dataset.annotated(with_tombstones=self.syncing)

        def paginate_queryset(self, queryset):
            if not self.syncing:
                return super().paginate_queryset(queryset)
            return self.paginator.paginate_merged(
                queryset, self.recorded_tombstones(), self.request, view=self
            )

        def recorded_tombstones(self):
            """Rows that left the database or stopped being public without
            changing; filtered by city and time only (they keep no content)."""
            params = self.request.query_params
            # Already validated by the filter set, which ran first.
            since = filters.parse_time(params["updated_since"])
            removed = Tombstone.objects.filter(dataset=dataset.name)
            if since:
                removed = removed.filter(removed_at__gte=since)
            if params.get("city"):
                removed = removed.filter(city=params["city"])
            return removed

    DatasetList.serializer_class = serializer_class
    DatasetList.titles = dataset.title
    DatasetList.filterset_class = filterset_class
    DatasetList.__name__ = f"{serializer_class.__name__}List"
    return DatasetList.as_view()


def _finnish_reverse(name: str, request) -> str:
    """A page's address without a language prefix (the site's default)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, request=request)


class ApiRoot(ThrottledMixin, APIView):
    """Every dataset, its downloads and the catalog (CC BY 4.0)."""

    def get_view_name(self) -> str:
        return gettext("Open data API")

    @extend_schema(exclude=True)
    def get(self, request, format=None):
        return Response(
            {
                "license": catalog.LICENSE_URI,
                "catalog": reverse("opendata:catalog", request=request),
                "schema": reverse("opendata:schema", request=request),
                # One address for programs, whatever the reader's language.
                "docs": _finnish_reverse("opendata_docs:docs", request),
                "datasets": {
                    name: {
                        "title": dataset.title,
                        "url": reverse(f"opendata:{name}", request=request),
                        "downloads": {
                            fmt: reverse(
                                "opendata:export",
                                kwargs={"dataset": name, "fmt": fmt},
                                request=request,
                            )
                            for fmt in formats.FORMATS
                        },
                    }
                    for name, dataset in datasets.REGISTRY.items()
                },
            }
        )


async def async_chunks(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Hand a download to an ASGI server chunk by chunk.

    Under ASGI, Django reads a synchronous streaming body to the end into a list
    before sending it, so a big download would sit whole in memory. Each step runs
    on the request's own thread (thread-sensitive), where the database connection
    and its open query live.
    """
    step = sync_to_async(next, thread_sensitive=True)
    try:
        while (chunk := await step(chunks, None)) is not None:
            yield chunk
    finally:
        # Also when the client goes away: ends the query (and its transaction).
        await sync_to_async(chunks.close, thread_sensitive=True)()


def version_of(dataset: Dataset, computed: list | None = None) -> tuple[str, object]:
    """(ETag, last modified) of a dataset's public rows: one aggregate query, or
    for an aggregate dataset the digest of its `computed` rows."""
    if dataset.is_aggregate:
        digest = hashlib.sha256(
            json.dumps(computed, sort_keys=True).encode()
        ).hexdigest()[:32]
        return quote_etag(f"{dataset.name}-{digest}"), None
    agg = dataset.queryset().aggregate(
        count=Count("pk"), last=Max(dataset.updated_field)
    )
    last = agg["last"]
    stamp = last.timestamp() if last else 0
    return quote_etag(f"{dataset.name}-{agg['count']}-{stamp}"), last


class Export(ThrottledMixin, APIView):
    """A whole dataset as CSV, JSON Lines or Parquet, streamed."""

    @extend_schema(exclude=True)
    def get(self, request, dataset: str, fmt: str):
        if dataset not in datasets.REGISTRY or fmt not in formats.FORMATS:
            raise NotFound()
        ds = datasets.get(dataset)
        # Aggregates are computed whole (seconds at a million comments), once: the
        # digest of the rows is their ETag, and the rows are the body.
        computed = ds.compute() if ds.is_aggregate else None
        etag, last = version_of(ds, computed)
        last_http = http_date(last.timestamp()) if last else None
        if_none_match = request.headers.get("If-None-Match")
        if_modified = request.headers.get("If-Modified-Since")
        not_modified = (if_none_match and etag in if_none_match) or (
            not if_none_match
            and if_modified
            and last
            and (parse_http_date_safe(if_modified) or 0) >= int(last.timestamp())
        )
        if not_modified:
            response = HttpResponse(status=304)
        else:
            content_type, _ = formats.FORMATS[fmt]
            body = formats.encoded(ds, fmt, computed)
            if isinstance(request._request, ASGIRequest):
                body = async_chunks(body)
            response = StreamingHttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{dataset}.{fmt}"'
        response["ETag"] = etag
        if last_http:
            response["Last-Modified"] = last_http
        return response


class Catalog(ThrottledMixin, APIView):
    @extend_schema(exclude=True)
    def get(self, request):
        response = HttpResponse(
            catalog.jsonld(request), content_type="application/ld+json"
        )
        return response


class ParticipationStats(ThrottledMixin, APIView):
    """Participation counts per city, month and channel, k-anonymous (k=5).

    Breakdowns by age band, home district, first language and gender count only what
    people consented to share; cells under 5 people are suppressed, and further
    cells are suppressed so that none can be derived by subtraction from the total.
    Recomputed at most once a minute.
    """

    @property
    def titles(self) -> dict[str, str]:
        return datasets.REGISTRY["participation-stats"].title

    @extend_schema(
        tags=["datasets"],
        responses={
            200: inline_serializer(
                "ParticipationStatsRow",
                {
                    name: (
                        serializers.IntegerField(help_text=help, allow_null=True)
                        if kind == "integer"
                        else serializers.BooleanField(help_text=help)
                        if kind == "boolean"
                        else serializers.CharField(help_text=help)
                    )
                    for name, kind, help in stats.COLUMNS
                },
                many=True,
            ),
            **{code: schema.ERRORS[code] for code in (401, 404, 429)},
        },
    )
    def get(self, request):
        return Response(stats.cached_participation_stats())


def _advice_stats_field(name: str, kind: str, help: str) -> serializers.Field:
    nullable = name in advice_datasets.MEASURES
    if kind == "integer":
        return serializers.IntegerField(help_text=help, allow_null=nullable)
    if kind == "number":
        return serializers.FloatField(help_text=help, allow_null=True)
    if kind == "boolean":
        return serializers.BooleanField(help_text=help)
    return serializers.CharField(help_text=help)


class AdviceStats(ThrottledMixin, APIView):
    """The advice desk's chats per city, language, topic and hour of the day.

    Counts, median and 90th-percentile wait, median duration, offline questions
    and the average rating; cells under 5 chats are suppressed (figures empty,
    `suppressed` true). Never a message text. Recomputed at most once a minute.
    """

    @property
    def titles(self) -> dict[str, str]:
        return datasets.REGISTRY["advice-stats"].title

    @extend_schema(
        tags=["datasets"],
        responses={
            200: inline_serializer(
                "AdviceStatsRow",
                {
                    name: _advice_stats_field(name, kind, help)
                    for name, kind, help in advice_datasets.COLUMNS
                },
                many=True,
            ),
            **{code: schema.ERRORS[code] for code in (401, 404, 429)},
        },
    )
    def get(self, request):
        return Response(advice_datasets.cached_advice_stats())
