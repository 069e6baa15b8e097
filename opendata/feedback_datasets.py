"""Datasets from feedback on existing services: the published items with the
city's answers (`feedback`) and the services they are about (`feedback-services`).

Only what `FeedbackItem.objects.public()` shows, and of it only the public text:
never contact details, the sender, a redacted item's original, the exact point
(the published one instead), an address the handler did not confirm, internal
notes or the handler. A redaction saves the item, so its row changes and mirrors
replace the old text; hiding, making private and withdrawing turn the row into a
tombstone, deleting records one (`opendata.signals`).

Times are to the second, as in the feedback API (`requested_datetime`): the
sender's time is public there already, so it is not rounded to the hour as other
authored rows are. The rows are still ordered and synced by the exact
`updated_at`; `updated_since` with a time read from a row (rounded down) gives
that second's rows again, never misses one.
"""

from django.db.models import Case, CharField, F, Func, Q, Value, When

from opendata.datasets import (
    BOOLEAN,
    DATETIME,
    ID,
    INTEGER,
    NUMBER,
    STRING,
    Column,
    Dataset,
    register,
)


class SecondFloor(Func):
    """A time rounded down to the second by the database (times are UTC)."""

    template = "DATE_TRUNC('second', %(expressions)s)"

    def __init__(self, expression, **extra):
        from django.db.models import DateTimeField

        super().__init__(expression, output_field=DateTimeField(), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django's converter makes the text an aware datetime again.
        sql, params = self.as_sql(compiler, connection, template="%(expressions)s")
        return f"STRFTIME(%s, {sql})", ("%Y-%m-%d %H:%M:%S", *params)


def _seconds(*names: str) -> dict:
    """`<name>_s`: each time rounded down to the second."""
    return {f"{name}_s": SecondFloor(name) for name in names}


def _time(name: str, field: str, description: str, *, nullable: bool = False):
    return Column(
        name, DATETIME, description, lambda o: getattr(o, f"{field}_s"), nullable
    )


def _text(name: str, field: str, description: str) -> Column:
    return Column(name, STRING, description, lambda o: getattr(o, field))


# The common columns, to the second. A tombstone's `updated_at` reads `sync_at`
# too (`datasets.changed_at`); the order and `updated_since` stay exact.
UPDATED_AT = Column(
    "updated_at",
    DATETIME,
    "When the row last changed, to the second (use it with updated_since to sync; "
    "the rows of that second come again).",
    lambda o: o.sync_at,
)
CREATED_AT = _time("created_at", "created_at", "When the row was created.")
CITY = Column(
    "city", STRING, "Slug of the city (e.g. helsinki).", lambda o: o.city_slug
)

OPEN311_STATUS = {
    "received": "open",
    "allocated": "open",
    "handling": "open",
    "done": "closed",
}


def _items():
    from feedback.models import FeedbackItem

    # Flat annotations: one object per row for the API, plain value rows for the
    # downloads (Dataset.flat_fields). The address only where its place was
    # confirmed: otherwise it may name a home.
    return FeedbackItem.objects.annotate(
        city_slug=F("city__slug"),
        service_code=F("service__service_code"),
        district_name=F("district__name_fi"),
        district_slug=F("district__slug"),
        public_address=Case(
            When(place_confirmed=True, then=F("address")),
            default=Value(""),
            output_field=CharField(),
        ),
        sync_at=SecondFloor("updated_at"),
        **_seconds("created_at", "requested_at", "closed_at", "answered_at"),
    )


def _items_public() -> Q:
    from feedback.models import public_items_q

    return public_items_q()


feedback = register(
    Dataset(
        name="feedback",
        title={
            "fi": "Palaute palveluista",
            "sv": "Respons om tjänster",
            "en": "Feedback on services",
        },
        description={
            "fi": "Asukkaiden julkaistu palaute kaupunkien palveluista ja "
            "kaupunkien vastaukset (palautetietämyskanta).",
            "sv": "Invånarnas publicerade respons om städernas tjänster och "
            "städernas svar.",
            "en": "Residents' published feedback on the cities' services, with "
            "the cities' answers (the feedback knowledge base).",
        },
        columns=[
            ID,
            CITY,
            _text(
                "service_code",
                "service_code",
                "The service it is about (`service_code` in feedback-services and "
                "in the feedback API).",
            ),
            _text(
                "kind",
                "kind",
                "Kind of feedback: praise, complaint, question, idea or fault_report.",
            ),
            _text(
                "status",
                "status",
                "Where its handling is: received, allocated, handling or done.",
            ),
            Column(
                "open311_status",
                STRING,
                "The status as Open311 has it: open, or closed once done.",
                lambda o: OPEN311_STATUS.get(o.status, "open"),
            ),
            _text(
                "district",
                "district_name",
                "District it is about, if given: its name in Finnish.",
            ),
            _text(
                "district_slug",
                "district_slug",
                "The district's slug, stable within the city (empty without one).",
            ),
            _time(
                "requested_at",
                "requested_at",
                "When it was sent (for imported feedback, the source's time).",
            ),
            _time(
                "closed_at",
                "closed_at",
                "When its handling was done (empty while open).",
                nullable=True,
            ),
            Column(
                "lat",
                NUMBER,
                "Latitude of the published point (WGS84): rounded to about 100 m "
                "unless the city confirmed the place; empty without a place.",
                lambda o: o.public_lat,
                nullable=True,
            ),
            Column(
                "long",
                NUMBER,
                "Longitude of the published point (WGS84), as `lat`.",
                lambda o: o.public_long,
                nullable=True,
            ),
            _text(
                "address",
                "public_address",
                "Address of the place, only once the city confirmed it may be "
                "published (else empty).",
            ),
            _text(
                "title",
                "public_title",
                "Title as published (the city may have removed personal data).",
            ),
            _text(
                "description",
                "public_description",
                "The feedback as published, plain text (the city may have removed "
                "personal data).",
            ),
            _text("answer", "answer", "The city's public answer, plain text."),
            _time(
                "answered_at",
                "answered_at",
                "When the city answered (empty without an answer).",
                nullable=True,
            ),
            _text("language", "language", "Language it was written in."),
            _text(
                "channel",
                "channel",
                "How it came in: web, api, import or advice (the advice desk).",
            ),
            _text(
                "source_system",
                "source_system",
                "For imported feedback, the system it came from (else empty).",
            ),
            _text(
                "source_licence",
                "source_licence",
                "For imported feedback, the licence of its source (else empty).",
            ),
            Column(
                "support_count",
                INTEGER,
                'How many people said "me too".',
                lambda o: o.support_count,
            ),
            CREATED_AT,
            UPDATED_AT,
        ],
        base_queryset=_items,
        public=_items_public,
        # Withdrawing, hiding and making private keep when it was first public.
        ever_public=Q(published_at__isnull=False),
        filters={"city": "city__slug"},
        extra_filters={
            "service_code": ("service__service_code", "Only this service's."),
            "kind": ("kind", "Kind: praise, complaint, question, idea, fault_report."),
            "status": ("status", "Status: received, allocated, handling or done."),
            "district": (
                "district__slug",
                "Only feedback about this district (its slug; with `city`).",
            ),
            "language": ("language", "Language: fi, sv or en."),
        },
        flat_fields=(
            "pk",
            "city_slug",
            "service_code",
            "kind",
            "status",
            "district_name",
            "district_slug",
            "requested_at_s",
            "closed_at_s",
            "public_lat",
            "public_long",
            "public_address",
            "public_title",
            "public_description",
            "answer",
            "answered_at_s",
            "language",
            "channel",
            "source_system",
            "source_licence",
            "support_count",
            "created_at_s",
            "sync_at",
        ),
        copy_fields={
            "id": "pk",
            "city": "city_slug",
            "service_code": "service_code",
            "kind": "kind",
            "status": "status",
            "open311_status": ("status", OPEN311_STATUS),
            "district": "district_name",
            "district_slug": "district_slug",
            "requested_at": "requested_at_s",
            "closed_at": "closed_at_s",
            "lat": "public_lat",
            "long": "public_long",
            "address": "public_address",
            "title": "public_title",
            "description": "public_description",
            "answer": "answer",
            "answered_at": "answered_at_s",
            "language": "language",
            "channel": "channel",
            "source_system": "source_system",
            "source_licence": "source_licence",
            "support_count": "support_count",
            "created_at": "created_at_s",
            "updated_at": "sync_at",
        },
        copy_unguarded=frozenset(
            {"kind", "status", "open311_status", "language", "channel"}
        ),
    )
)


def _services():
    from feedback.models import FeedbackService

    return FeedbackService.objects.annotate(
        city_slug=F("city__slug"),
        sync_at=SecondFloor("updated_at"),
        **_seconds("created_at"),
    )


def _translated(name: str, what: str) -> list[Column]:
    return [
        _text(f"{name}_{code}", f"{name}_{code}", f"{what} in {language}.")
        for code, language in (("fi", "Finnish"), ("sv", "Swedish"), ("en", "English"))
    ]


feedback_services = register(
    Dataset(
        name="feedback-services",
        title={
            "fi": "Palautteen palvelut",
            "sv": "Tjänster för respons",
            "en": "Services for feedback",
        },
        description={
            "fi": "Kaupunkien palvelut ja aiheet, joista voi antaa palautetta "
            "(Open311-palvelut), aihealueittain.",
            "sv": "Städernas tjänster och ämnen man kan ge respons om "
            "(Open311-tjänster), efter ämnesområde.",
            "en": "The cities' services and subjects feedback can be given on "
            "(Open311 services), by subject area.",
        },
        columns=[
            ID,
            CITY,
            _text(
                "service_code",
                "service_code",
                "Code of the service, unique across cities (Open311 `service_code`).",
            ),
            *_translated("name", "Name"),
            *_translated("description", "Description, plain text,"),
            *_translated("group", "Subject area"),
            _text(
                "publication",
                "publication",
                "When new feedback is published: immediate, or after_check (after "
                "a handler's check). Feedback with personal data waits in any case.",
            ),
            Column(
                "active",
                BOOLEAN,
                "Whether it takes new feedback.",
                lambda o: o.is_active,
            ),
            CREATED_AT,
            UPDATED_AT,
        ],
        base_queryset=_services,
        # Every service is public, also one no longer taking feedback (`active`).
        public=Q(pk__isnull=False),
        filters={"city": "city__slug"},
        extra_filters={"service_code": ("service_code", "Only this service.")},
        flat_fields=(
            "pk",
            "city_slug",
            "service_code",
            *(
                f"{name}_{code}"
                for name in ("name", "description", "group")
                for code in ("fi", "sv", "en")
            ),
            "publication",
            "is_active",
            "created_at_s",
            "sync_at",
        ),
        copy_fields={
            "id": "pk",
            "city": "city_slug",
            "service_code": "service_code",
            **{
                f"{name}_{code}": f"{name}_{code}"
                for name in ("name", "description", "group")
                for code in ("fi", "sv", "en")
            },
            "publication": "publication",
            "active": "is_active",
            "created_at": "created_at_s",
            "updated_at": "sync_at",
        },
        copy_unguarded=frozenset({"service_code", "publication"}),
    )
)
