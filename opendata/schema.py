"""How the open data API describes what it sends, for drf-spectacular.

Each list's items are either a live row (`<Dataset>Row`: every column, always
present, `null` only where a column is nullable) or a tombstone (`Tombstone`:
only `id`, `removed: true` and `updated_at`): `oneOf` the two, as sent. Every
operation also documents its refusals (400, 401, 404, 429), and the API key is
a security scheme that is optional (anonymous readers get the lower limit).
"""

from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema_field,
)
from rest_framework import serializers

from opendata import formats
from opendata.datasets import ARRAY, BOOLEAN, DATETIME, INTEGER, NUMBER, Dataset

FIELD_TYPES = {
    INTEGER: serializers.IntegerField,
    DATETIME: serializers.DateTimeField,
    BOOLEAN: serializers.BooleanField,
    NUMBER: serializers.FloatField,
}
# One type for every id: the rows' `id` and the columns naming another row.
ID_FORMAT = {"format": "int64"}


def _field_for(column) -> serializers.Field:
    options = {
        "read_only": True,
        "help_text": column.description,
        "allow_null": column.nullable,
    }
    if column.type == ARRAY:
        return serializers.ListField(child=serializers.CharField(), **options)
    if column.is_id:
        return RowIdField(**options)
    return FIELD_TYPES.get(column.type, serializers.CharField)(**options)


@extend_schema_field({"type": "integer", **ID_FORMAT, "minimum": 1})
class RowIdField(serializers.IntegerField):
    """The id of a row, here or in another dataset."""


@extend_schema_field({"type": "boolean", "enum": [True]})
class RemovedField(serializers.BooleanField):
    pass


class TombstoneSerializer(serializers.Serializer):
    """A row that was public and is gone: delete it from your copy."""

    id = RowIdField(read_only=True, help_text="Id of the removed row.")
    removed = RemovedField(
        read_only=True,
        help_text="Always true: the row was public and was removed, hidden or "
        "unpublished; delete it from your copy. Tombstones appear only with "
        "updated_since (also for rows outside your other filters: deleting an id "
        "you do not have is a no-op).",
    )
    updated_at = serializers.DateTimeField(
        read_only=True, help_text="When the row stopped being public."
    )

    class Meta:
        ref_name = "Tombstone"


def serializer_for(dataset: Dataset) -> type[serializers.Serializer]:
    """A serializer whose fields document the columns and whose rows come from the
    registry, so the schema, the API and the downloads agree. It writes
    tombstones too (the registry decides which a row is)."""
    fields = {column.name: _field_for(column) for column in dataset.columns}

    def to_representation(self, instance):
        return formats.json_row(dataset.row(instance))

    name = "".join(part.title() for part in dataset.name.split("-")) + "Row"
    return type(
        name,
        (serializers.Serializer,),
        {**fields, "to_representation": to_representation},
    )


def row_or_tombstone(serializer_class) -> PolymorphicProxySerializer:
    name = serializer_class.__name__.removesuffix("Row")
    return PolymorphicProxySerializer(
        component_name=f"{name}RowOrTombstone",
        serializers=[serializer_class, TombstoneSerializer],
        resource_type_field_name=None,
        many=True,
    )


DETAIL = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}
INVALID = {
    "type": "object",
    "description": "Which parameters were refused and why: each parameter's name "
    "with its messages, or `detail` for the cursor.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERRORS = {
    400: OpenApiResponse(INVALID, description="A parameter is malformed."),
    401: OpenApiResponse(
        DETAIL,
        description="The API key sent is wrong, revoked or expired (send none for "
        "the anonymous limit).",
    ),
    404: OpenApiResponse(DETAIL, description="No such format or page."),
    429: OpenApiResponse(
        DETAIL,
        description="Over the request limit; Retry-After says when to try again.",
    ),
}


# Text reaches PostgreSQL, which cannot hold NUL: a value with one is refused.
TEXT_PATTERN = r"^[^\u0000]*$"


def describe_query_parameters(result, generator, request, public):
    """drf-spectacular postprocessing: each query parameter as the lists read it.

    An empty value counts as not given (the browsable API's filter form sends
    every field), but for the cursor. Text may not contain NUL. A time must exist in UTC
    (`filters.TIME_PATTERN`); a page holds at least one row.
    """
    from opendata.filters import TIME_PATTERN

    for url, path in result.get("paths", {}).items():
        if not url.startswith("/api/v1/"):
            continue
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                # An empty cursor is no cursor of ours: refused like any other.
                parameter["allowEmptyValue"] = parameter["name"] != "cursor"
                schema = parameter.setdefault("schema", {})
                if schema.get("format") == "date-time":
                    schema["pattern"] = TIME_PATTERN
                elif schema.get("type") == "string" and "format" not in schema:
                    schema["pattern"] = TEXT_PATTERN
                if parameter["name"] == "page_size":
                    schema["minimum"] = 1
    return result
