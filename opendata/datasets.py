"""The dataset registry: one declaration per dataset drives the API serializer, the
OpenAPI descriptions, the CSV/JSON Lines/Parquet columns and the catalog, so that
API and downloads can never disagree.

Times of authored rows: `created_at` is rounded down to the hour (it is a personal
timing signal). `updated_at` stays exact: mirrors need it for `updated_since`, and it
also moves on moderation and counter changes, so it says little about the author.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import DateTimeField, Func, Q, QuerySet

from opendata.pseudonyms import pseudonym

# Column types, named as in Frictionless Table Schema.
INTEGER = "integer"
STRING = "string"
DATETIME = "datetime"
BOOLEAN = "boolean"
# A decimal number (the published map point): a JSON number, a double in Parquet.
NUMBER = "number"
# A list of strings: a JSON array in the API and JSON Lines, a list column in
# Parquet, and the items joined with LIST_SEPARATOR in CSV.
ARRAY = "array"
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    get: Callable[[Any], Any]
    nullable: bool = False
    # The id of a row (its own, or one it refers to): one type everywhere.
    is_id: bool = False


@dataclass
class Dataset:
    name: str
    title: dict[str, str]
    description: dict[str, str]
    columns: list[Column]
    base_queryset: Callable[[], QuerySet] | None
    # Which rows are public: a Q, or a function making one (when it needs models
    # or subqueries that cannot be built at import time).
    public: Q | Callable[[], Q]
    # Which rows were public once (beside those that are): only they come back as
    # tombstones with updated_since. A row that never was (a draft, a comment
    # awaiting moderation) is none of a mirror's business. None: every row.
    ever_public: Q | Callable[[], Q] | None = None
    # Where the common `city` filter looks, and more filters: name -> (field, help).
    filters: dict[str, Any] = field(default_factory=dict)
    extra_filters: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Rows people wrote: their `created_at` is read rounded down to the hour
    # (`created_hour`, for CREATED_AT_HOUR).
    authored: bool = False
    # The field that orders pages and drives updated_since (an annotation when a
    # row's change time comes from more than one table).
    updated_field: str = "updated_at"
    # Set when every column reads only fields and annotations of the row itself
    # (`o.text`, `o.city_slug`), never a related object (`o.discussion.city`):
    # the ones they read. Bulk downloads then fetch just these as plain value rows
    # instead of model instances, several times faster. Tests check both give the
    # same rows (a missing name fails there).
    flat_fields: tuple[str, ...] = ()
    # CSV through PostgreSQL's COPY (opendata/copy_csv.py): each column's flat
    # field or lookup, or (field, {stored: shown}) for one whose values are
    # renamed; the `author` column is joined from the pseudonyms (copy_authors).
    # Rows in the Python path's order, (updated_at, pk). Empty: CSV is written in
    # Python. Tests check both agree byte for byte.
    copy_fields: dict[str, str | tuple[str, dict[str, str]]] = field(
        default_factory=dict
    )
    # Of copy_fields' text columns, those whose values never start with a formula
    # character (choices, keys the code makes): COPY skips the guard on them.
    copy_unguarded: frozenset[str] = frozenset()
    # The author's user id and anonymous key, as lookups on the base model: what
    # COPY joins the pseudonyms on.
    copy_authors: tuple[str, str] = ("author_id", "anonymous_key")
    # Annotations only COPY reads, for SQL of what a getter does in Python (an
    # array joined with LIST_SEPARATOR): name -> expression, named in copy_fields.
    copy_annotations: Callable[[], dict[str, Any]] | None = None
    # Aggregates (participation-stats) are computed whole, not read row by row:
    # they have downloads and a catalog entry, but no cursor list, sync or ids.
    compute: Callable[[], list[dict[str, Any]]] | None = None
    # An aggregate's time span for the catalog, {"first", "last"} datetimes,
    # when its rows carry no `month` (advice-stats counts by hour of the day).
    span: Callable[[], dict[str, Any]] | None = None

    @property
    def flat(self) -> bool:
        return bool(self.flat_fields)

    @property
    def is_aggregate(self) -> bool:
        return self.compute is not None

    def queryset(self, *, with_tombstones: bool = False) -> QuerySet:
        qs = self.base_queryset()
        if self.authored:
            qs = qs.annotate(created_hour=HourFloor("created_at"))
        if not with_tombstones:
            qs = qs.filter(self.public_q())
        elif self.ever_public is not None:
            once = self.ever_public
            qs = qs.filter(self.public_q() | (once() if callable(once) else once))
        return qs

    def public_q(self) -> Q:
        return self.public() if callable(self.public) else self.public

    def is_public(self, obj) -> bool:
        return bool(getattr(obj, "od_public", True))

    def annotated(self, *, with_tombstones: bool = False) -> QuerySet:
        """Rows with `od_public` telling public rows from tombstones."""
        from django.db.models import BooleanField, ExpressionWrapper

        return self.queryset(with_tombstones=with_tombstones).annotate(
            od_public=ExpressionWrapper(self.public_q(), output_field=BooleanField())
        )

    def row(self, obj) -> dict[str, Any]:
        if not self.is_public(obj):
            return tombstone(obj)
        return {column.name: column.get(obj) for column in self.columns}

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def tombstone(obj) -> dict[str, Any]:
    """What a removed row says: that it is gone, and when. Never its content."""
    return {"id": obj.pk, "removed": True, "updated_at": changed_at(obj)}


def changed_at(obj):
    return getattr(obj, "sync_at", None) or obj.updated_at


class HourFloor(Func):
    """A time rounded down to the hour by the database (times are UTC).

    Unlike TruncHour, no Python converter runs on every row: a download keeps
    psycopg's streaming path, and the rounding costs nothing on our side.
    """

    template = "DATE_TRUNC('hour', %(expressions)s)"
    output_field = DateTimeField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC; its converter
        # makes the text an aware datetime again.
        sql, params = self.as_sql(compiler, connection, template="%(expressions)s")
        return f"STRFTIME(%s, {sql})", ("%Y-%m-%d %H:00:00", *params)


def hour(value: datetime | None) -> datetime | None:
    """Rounded down to the hour, to hinder re-identification by timing."""
    if value is None:
        return None
    return value.replace(minute=0, second=0, microsecond=0)


def author_of(obj) -> str:
    return pseudonym(
        user_id=obj.author_id, anonymous_key=getattr(obj, "anonymous_key", None)
    )


REGISTRY: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    REGISTRY[dataset.name] = dataset
    return dataset


def get(name: str) -> Dataset:
    return REGISTRY[name]


def listed() -> dict[str, Dataset]:
    """The datasets with a cursor list (every one but the aggregates)."""
    return {name: ds for name, ds in REGISTRY.items() if not ds.is_aggregate}


# Common columns (DESIGN.md, Public contracts).
ID = Column("id", INTEGER, "Stable identifier of the row.", lambda o: o.pk, is_id=True)
UPDATED_AT = Column(
    "updated_at",
    DATETIME,
    "When the row last changed (exact; use it with updated_since to sync).",
    changed_at,
)
CREATED_AT_HOUR = Column(
    "created_at",
    DATETIME,
    "When the row was created, rounded down to the hour for privacy.",
    lambda o: o.created_hour,
)
AUTHOR = Column(
    "author",
    STRING,
    "Pseudonym of the author: the same person has the same pseudonym in every "
    "dataset; 'removed' after the account was deleted. Never a name or id.",
    author_of,
)


from opendata import (  # noqa: E402, F401, I001
    ideas_datasets,
    participation_datasets,
    workshop_datasets,
    stats_datasets,
    feedback_datasets,
    panel_datasets,
    advice_datasets,
)
