"""The read-only open data API: one list endpoint per dataset, the downloads and the
catalog. Thin: the registry (`opendata.datasets`) decides rows and columns."""

from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db.models import Count, Max
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from opendata import catalog, datasets, formats, stats, throttling
from opendata.datasets import BOOLEAN, DATETIME, INTEGER, Dataset


class DatasetPagination(CursorPagination):
    """Keyset pages ordered by (updated_at, id), at most 1,000 rows."""

    ordering = ("updated_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class ThrottledMixin:
    """The open data limit, counted in the cache and stated in every response."""

    def initial(self, request, *args, **kwargs):
        allowed, limit, remaining, retry = throttling.check(request)
        self._rate = (allowed, limit, remaining, retry)
        if not allowed:
            raise Throttled(wait=retry)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        rate = getattr(self, "_rate", None)
        if rate:
            allowed, limit, remaining, retry = rate
            throttling.add_headers(response, limit, remaining, retry, allowed)
        return response


FIELD_TYPES = {
    INTEGER: serializers.IntegerField,
    DATETIME: serializers.DateTimeField,
    BOOLEAN: serializers.BooleanField,
}


def serializer_for(dataset: Dataset) -> type[serializers.Serializer]:
    """A serializer whose fields document the columns and whose rows come from the
    registry, so the schema, the API and the downloads agree."""
    fields = {
        column.name: FIELD_TYPES.get(column.type, serializers.CharField)(
            read_only=True,
            help_text=column.description,
            allow_null=column.nullable,
            required=False,
        )
        for column in dataset.columns
    }
    fields["removed"] = serializers.BooleanField(
        read_only=True,
        required=False,
        help_text="Present and true only on tombstones: the row was public and was "
        "removed, hidden or unpublished; delete it from your copy. Tombstones carry "
        "only id, removed and updated_at, and appear only with updated_since.",
    )

    def to_representation(self, instance):
        return formats.json_row(dataset.row(instance))

    name = "".join(part.title() for part in dataset.name.split("-")) + "Row"
    return type(
        name,
        (serializers.Serializer,),
        {**fields, "to_representation": to_representation},
    )


def filterset_for(dataset: Dataset) -> type[filters.FilterSet]:
    attrs = {
        "city": filters.CharFilter(
            field_name=dataset.filters.get("city", "city__slug"),
            help_text="Only rows of this city (its slug, e.g. helsinki).",
        ),
        "updated_since": filters.IsoDateTimeFilter(
            field_name=dataset.updated_field,
            lookup_expr="gte",
            help_text="Only rows changed at or after this time (ISO 8601). With it, "
            "rows removed since then appear as tombstones, so mirrors stay in sync.",
        ),
        "created_after": filters.IsoDateTimeFilter(
            field_name="created_at",
            lookup_expr="gte",
            help_text="Only rows created at or after this time (ISO 8601).",
        ),
        "created_before": filters.IsoDateTimeFilter(
            field_name="created_at",
            lookup_expr="lt",
            help_text="Only rows created before this time (ISO 8601).",
        ),
    }
    for name, (field_name, help_text) in dataset.extra_filters.items():
        attrs[name] = filters.CharFilter(field_name=field_name, help_text=help_text)
    meta = type("Meta", (), {"model": dataset.base_queryset().model, "fields": []})
    return type(
        f"{dataset.name}FilterSet", (filters.FilterSet,), {**attrs, "Meta": meta}
    )


def list_view_for(dataset: Dataset):
    serializer_class = serializer_for(dataset)
    filterset_class = filterset_for(dataset)

    class Pagination(DatasetPagination):
        ordering = (dataset.updated_field, "id")

    @extend_schema_view(
        get=extend_schema(
            summary=dataset.title["en"],
            description=dataset.description["en"],
            tags=["datasets"],
        )
    )
    class DatasetList(ThrottledMixin, ListAPIView):
        pagination_class = Pagination

        def get_queryset(self):
            # Tombstones only for readers who sync: they need to delete rows.
            with_tombstones = "updated_since" in self.request.query_params
            return dataset.annotated(with_tombstones=with_tombstones)

    DatasetList.serializer_class = serializer_class
    DatasetList.filterset_class = filterset_class
    DatasetList.__name__ = f"{serializer_class.__name__}List"
    return DatasetList.as_view()


class ApiRoot(ThrottledMixin, APIView):
    """Every dataset, its downloads and the catalog (CC BY 4.0)."""

    @extend_schema(exclude=True)
    def get(self, request, format=None):
        return Response(
            {
                "license": catalog.LICENSE_URI,
                "catalog": reverse("opendata:catalog", request=request),
                "schema": reverse("opendata:schema", request=request),
                "docs": reverse("opendata:docs", request=request),
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


def version_of(dataset: Dataset) -> tuple[str, object]:
    """(ETag, last modified) of a dataset's public rows: one aggregate query."""
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
        etag, last = version_of(ds)
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
            content_type, encode = formats.FORMATS[fmt]
            body = encode(ds, formats.rows(ds))
            if isinstance(request._request, ASGIRequest):
                body = async_chunks(body)
            response = StreamingHttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{dataset}.{fmt}"'
        response["ETag"] = etag
        if last_http:
            response["Last-Modified"] = last_http
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Streaming bodies must not go through the renderers.
        if not isinstance(response, Response):
            rate = getattr(self, "_rate", None)
            if rate:
                throttling.add_headers(response, *rate[1:], rate[0])
            return response
        return super().finalize_response(request, response, *args, **kwargs)


class Catalog(ThrottledMixin, APIView):
    @extend_schema(exclude=True)
    def get(self, request):
        response = HttpResponse(
            catalog.jsonld(request), content_type="application/ld+json"
        )
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        rate = getattr(self, "_rate", None)
        if rate and not isinstance(response, Response):
            throttling.add_headers(response, *rate[1:], rate[0])
            return response
        return super().finalize_response(request, response, *args, **kwargs)


class ParticipationStats(ThrottledMixin, APIView):
    """Participation counts per city, month and channel, k-anonymous (k=5).

    Breakdowns by age band, home district and first language count only what
    people consented to share; cells under 5 people are suppressed, and further
    cells are suppressed so that none can be derived by subtraction from the total.
    """

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
            )
        },
    )
    def get(self, request):
        return Response(stats.participation_stats())
