"""The open data lists' parameters: one place that parses and checks each of them.

Every list builds its filter set here (`filterset_for`), so each parameter is
cleaned by a typed form field before any query runs: a value of the wrong type or
out of range is a 400 naming the parameter (DjangoFilterBackend turns the form's
errors into a DRF ValidationError), never a 500 from the database. The type of a
filter a dataset declares as `(field, help)` comes from the model field it
reads, so a new id or key filter is typed without anyone remembering to.

The cursor uses the same `parse_time` and `ID_RANGE` (`opendata.api`).
"""

import re
import uuid
from datetime import UTC, datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Ids are positive 64-bit integers (OpenAPI's int64): an id outside this range
# cannot exist, and PostgreSQL refuses to compare a column with a bigger number.
ID_RANGE = (1, 2**63 - 1)
# Python's (and so Django's) times end at the years 1 and 9999: a time on the
# first day with a positive offset, or on the last with a negative one, may lie
# outside them in UTC. Those two days are taken in UTC only; the schema states
# the same rule as this pattern.
TIME_PATTERN = r"^(?!0001-01-01T[^+]*\+(?!00:00)|9999-12-31T[^Z]*-(?!00:00))"


class TimeField(IsoDateTimeField):
    """An ISO 8601 time that can be compared with stored times: it is converted
    to UTC here, so a time whose UTC falls outside the years 1–9999
    (`0001-01-01T00:00:00+01:00`) is refused instead of overflowing later."""

    default_error_messages = {
        "invalid": _(
            "Enter a date and time in ISO 8601 form, e.g. 2026-01-31T12:00:00Z."
        ),
        "out_of_range": _(
            "This time is out of range: it must fall within the years 1 to 9999 "
            "in UTC (on 0001-01-01 and 9999-12-31, give it in UTC)."
        ),
    }

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else ""
        value = super().to_python(value)
        if value is None:
            return None
        try:
            if not re.match(TIME_PATTERN, text):
                raise OverflowError(text)
            return value.astimezone(UTC)
        except OverflowError:
            raise ValidationError(
                self.error_messages["out_of_range"], code="out_of_range"
            ) from None


def parse_time(value: str) -> datetime | None:
    """`value` as an aware UTC datetime, or None if it is not one we can use."""
    try:
        return TimeField(required=False).clean(value)
    except ValidationError:
        return None


class IdField(forms.IntegerField):
    """A row id: a whole number from 1 to 2⁶³ − 1."""

    default_error_messages = {
        "invalid": _("Enter a row id: a whole number."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", ID_RANGE[0])
        kwargs.setdefault("max_value", ID_RANGE[1])
        super().__init__(**kwargs)


def page_size(value: str) -> int:
    """`page_size` as a whole number of at least 1, or a 400 naming it."""
    try:
        return forms.IntegerField(min_value=1, max_value=ID_RANGE[1]).clean(value)
    except ValidationError as error:
        raise serializers.ValidationError({"page_size": error.messages}) from None


class IdOrKeyField(forms.CharField):
    """A row's id (a whole number) or its key (a UUID): cleans to int or UUID."""

    default_error_messages = {
        "invalid": _("Enter a row id (a whole number) or a key (a UUID)."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if value.isascii() and value.isdigit():
            return IdField().clean(value)
        try:
            return uuid.UUID(value)
        except ValueError:
            message = self.error_messages["invalid"]
            raise ValidationError(message, code="invalid") from None


class TimeFilter(filters.IsoDateTimeFilter):
    field_class = TimeField


ID_SCHEMA = {
    "type": "integer",
    "format": "int64",
    "minimum": ID_RANGE[0],
    "maximum": ID_RANGE[1],
}


@extend_schema_field(ID_SCHEMA)
class IdFilter(filters.NumberFilter):
    field_class = IdField


@extend_schema_field({"oneOf": [ID_SCHEMA, {"type": "string", "format": "uuid"}]})
class IdOrKeyFilter(filters.Filter):
    field_class = IdOrKeyField


def _model_field(model, path: str) -> models.Field | None:
    """The model field at the end of a lookup path, or None (an annotation)."""
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field


def typed_filter(model, field_name: str, help_text: str) -> filters.Filter:
    """The filter for `field_name` of `model`, typed by the field it reads."""
    field = _model_field(model, field_name)
    while isinstance(field, models.ForeignKey):  # to a page: its page_ptr first
        field = field.target_field
    if isinstance(field, models.UUIDField):
        return filters.UUIDFilter(field_name=field_name, help_text=help_text)
    if isinstance(field, models.IntegerField | models.AutoField):
        return IdFilter(field_name=field_name, help_text=help_text)
    return filters.CharFilter(field_name=field_name, help_text=help_text)


def filterset_for(dataset) -> type[filters.FilterSet]:
    """The filter set of a dataset's list: the common filters and its own."""
    model = dataset.base_queryset().model
    attrs = {
        "city": filters.CharFilter(
            field_name=dataset.filters.get("city", "city__slug"),
            help_text="Only rows of this city (its slug, e.g. helsinki).",
        ),
        "updated_since": TimeFilter(
            field_name=dataset.updated_field,
            lookup_expr="gte",
            help_text="Only rows changed at or after this time (ISO 8601). With it, "
            "rows removed since then appear as tombstones, so mirrors stay in sync.",
        ),
        "created_after": TimeFilter(
            field_name="created_at",
            lookup_expr="gte",
            help_text="Only rows created at or after this time (ISO 8601).",
        ),
        "created_before": TimeFilter(
            field_name="created_at",
            lookup_expr="lt",
            help_text="Only rows created before this time (ISO 8601).",
        ),
    }
    for name, spec in dataset.extra_filters.items():
        if isinstance(spec, filters.Filter):
            attrs[name] = spec
        else:
            attrs[name] = typed_filter(model, *spec)
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(
        f"{dataset.name}FilterSet", (filters.FilterSet,), {**attrs, "Meta": meta}
    )
