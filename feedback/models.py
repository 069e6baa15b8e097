"""Feedback on the services a city already runs, its handling trail and answer.

A `FeedbackService` is the Open311 *service* (`service_code`): the city service or
subject feedback is about, grouped into subject areas, translated, per city. A
`FeedbackItem` is one piece of feedback: its kind (praise, complaint, question,
idea, fault report) is separate from the service. The sender's words are kept as
written (`title`, `description`); what the public sees is `public_title` and
`public_description`, which a handler may redact. An item is public only when
`visibility` is PUBLIC and it was not withdrawn (`FeedbackItem.objects.public()`):
every public page, the API, search, notifications and open data read through that.

The exact map point is private; `public_lat`/`public_long` is the published point
(coarsened unless a handler confirmed the exact one), and the one radius and
bounding-box queries use. Contact details live on the item until the city's
retention period after closing has passed (`contact_purged_at`).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import City, District, TimeStampedModel
from core.text.fields import TextLanguageField
from core.text.search import LemmaIndex, SearchTermsField
from core.translation import TranslatedField

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000
ADDRESS_MAX_LENGTH = 255
SERVICE_CODE_MAX_LENGTH = 60
# How long a closed item's contact details are kept unless the city sets otherwise.
DEFAULT_CONTACT_RETENTION_DAYS = 365
# Published points are rounded to this many decimals (about 100 m) unless a handler
# confirms that the exact point reveals no home.
COARSE_DECIMALS = 3


class Kind(models.TextChoices):
    PRAISE = "praise", pgettext_lazy("feedback kind", "Praise")
    COMPLAINT = "complaint", pgettext_lazy("feedback kind", "Complaint")
    QUESTION = "question", pgettext_lazy("feedback kind", "Question")
    IDEA = "idea", pgettext_lazy("feedback kind", "Idea")
    FAULT = "fault_report", pgettext_lazy("feedback kind", "Fault report")


class Status(models.TextChoices):
    """The handling trail (the 6Aika `request_history` statuses)."""

    RECEIVED = "received", pgettext_lazy("feedback status", "Received")
    ALLOCATED = "allocated", pgettext_lazy("feedback status", "Allocated")
    HANDLING = "handling", pgettext_lazy("feedback status", "Being handled")
    DONE = "done", pgettext_lazy("feedback status", "Done")


# Open311 knows two statuses: everything before DONE is open.
OPEN311_CLOSED = frozenset({Status.DONE})


class Visibility(models.TextChoices):
    PENDING = "pending", pgettext_lazy("feedback visibility", "Waiting for a check")
    PUBLIC = "public", pgettext_lazy("feedback visibility", "Public")
    PRIVATE = "private", pgettext_lazy("feedback visibility", "Private")


class HeldReason(models.TextChoices):
    """Why an item waits for a handler before it can be public."""

    NONE = "", _("Not held")
    SERVICE = "service", _("The service publishes after a check")
    PERSONAL_DATA = "personal_data", _("The text may contain personal data")
    IMPORTED = "imported", _("Imported and not yet checked")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API client")
    IMPORT = "import", _("Imported")
    ADVICE = "advice", _("Advice desk")


class Publication(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    AFTER_CHECK = "after_check", _("After a handler's check")


class FeedbackCitySettings(models.Model):
    """Per-city feedback settings."""

    city = models.OneToOneField(
        City, on_delete=models.CASCADE, related_name="feedback_settings"
    )
    contact_retention_days = models.PositiveIntegerField(
        _("keep contact details for (days after closing)"),
        default=DEFAULT_CONTACT_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )

    class Meta:
        verbose_name = _("feedback settings for a city")
        verbose_name_plural = _("feedback settings for cities")

    def __str__(self) -> str:
        return str(self.city)


class Agency(models.Model):
    """A unit of the city that handles feedback (Open311 `agency_responsible`)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="agencies")
    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150, blank=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    name = TranslatedField("name")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["city", "name_fi"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "name_fi"], name="feedback_agency_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FeedbackService(TimeStampedModel):
    """An Open311 service: what feedback is about. `service_code` is unique across
    the platform, since the API names services by code alone."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="feedback_services"
    )
    service_code = models.SlugField(
        _("service code"), max_length=SERVICE_CODE_MAX_LENGTH, unique=True
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150, blank=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    group_fi = models.CharField(_("subject area in Finnish"), max_length=100)
    group_sv = models.CharField(
        _("subject area in Swedish"), max_length=100, blank=True
    )
    group_en = models.CharField(
        _("subject area in English"), max_length=100, blank=True
    )
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Comma separated.")
    )
    publication = models.CharField(
        _("publish new feedback"),
        max_length=20,
        choices=Publication.choices,
        default=Publication.IMMEDIATE,
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("default agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    is_active = models.BooleanField(_("takes new feedback"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = TranslatedField("name")
    description = TranslatedField("description")
    group = TranslatedField("group")

    class Meta:
        verbose_name = _("feedback service")
        verbose_name_plural = _("feedback services")
        ordering = ["city", "order", "name_fi"]

    def __str__(self) -> str:
        return self.name


def public_items_q() -> Q:
    """What anyone may see: public and not withdrawn. The one definition (open
    data annotates rows with it to tell live rows from tombstones)."""
    return Q(visibility=Visibility.PUBLIC, withdrawn_at__isnull=True)


class FeedbackItemQuerySet(models.QuerySet):
    def public(self) -> FeedbackItemQuerySet:
        """What anyone may see: public and not withdrawn (`public_items_q`)."""
        return self.filter(public_items_q())


def tracking_token_new() -> str:
    """A new unguessable follow-up token (only its hash is stored)."""
    return secrets.token_urlsafe(24)


def tracking_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedbackItem(TimeStampedModel):
    """One piece of feedback (an Open311 service request)."""

    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="feedback_items"
    )
    service = models.ForeignKey(
        FeedbackService,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # As the sender wrote them: never shown publicly once redacted.
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    # What the public sees: the sender's words, or a handler's redaction of them.
    public_title = models.CharField(_("public title"), max_length=TITLE_MAX_LENGTH)
    public_description = models.TextField(
        _("public description"), max_length=DESCRIPTION_MAX_LENGTH
    )
    is_redacted = models.BooleanField(_("redacted"), default=False)
    language = TextLanguageField()
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    # Place: the address as given and the exact point (private), and the point
    # that is published (coarsened unless `place_confirmed`).
    address = models.CharField(_("address"), max_length=ADDRESS_MAX_LENGTH, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    long = models.FloatField(_("longitude"), null=True, blank=True)
    public_lat = models.FloatField(null=True, blank=True)
    public_long = models.FloatField(null=True, blank=True)
    place_confirmed = models.BooleanField(
        _("exact place may be published"), default=False
    )
    # 6Aika: the object the feedback is about in the city's own registers.
    service_object_id = models.CharField(max_length=100, blank=True)
    service_object_type = models.CharField(max_length=200, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PENDING,
    )
    held_reason = models.CharField(
        _("held because"),
        max_length=20,
        choices=HeldReason.choices,
        blank=True,
        default=HeldReason.NONE,
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback",
    )
    expected_at = models.DateTimeField(_("expected by"), null=True, blank=True)
    answer = models.TextField(
        _("public answer"), max_length=ANSWER_MAX_LENGTH, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_feedback",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    # When it was asked (Open311 `requested_datetime`): the source's time for an
    # imported item, else the creation time.
    requested_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # When it first became public (open data and "new in the knowledge base").
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # The sender: a user, an anonymous visitor's key, or nobody known (API, import).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_items",
    )
    anonymous_key = models.UUIDField(null=True, blank=True)
    # Contact details for a personal answer: never public, purged after retention.
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_purged_at = models.DateTimeField(null=True, blank=True)
    tracking_token_hash = models.CharField(max_length=64, unique=True)

    # Imported items: where from, under which licence, and their id there.
    source_system = models.CharField(_("source system"), max_length=200, blank=True)
    source_licence = models.CharField(_("source licence"), max_length=100, blank=True)
    external_id = models.CharField(_("id in the source"), max_length=100, blank=True)

    support_count = models.PositiveIntegerField(_("supports"), default=0)
    # Public title, description and answer, analysed (`core.text`); written by the
    # services whenever any of them or the language changes.
    search_terms = SearchTermsField()

    objects = FeedbackItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-requested_at", "-id"]
        indexes = [
            # The API's and the knowledge base's order, and their filters.
            models.Index(
                fields=["visibility", "-requested_at", "-id"],
                name="feedback_public_newest_idx",
            ),
            models.Index(
                fields=["service", "status", "-requested_at", "-id"],
                name="feedback_service_status_idx",
            ),
            models.Index(
                fields=["city", "-requested_at", "-id"], name="feedback_city_newest_idx"
            ),
            models.Index(fields=["updated_at", "id"], name="feedback_updated_idx"),
            # Radius and bounding-box queries without PostGIS: a box on this index,
            # then the exact distance.
            models.Index(
                fields=["public_lat", "public_long"], name="feedback_point_idx"
            ),
            # The handlers' queue.
            models.Index(
                fields=["city", "status", "-created_at"], name="feedback_queue_idx"
            ),
            LemmaIndex(field="search_terms", name="feedback_item_lemmas"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")),
                name="feedback_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(long__isnull=True))
                | (
                    Q(lat__isnull=False, long__isnull=False)
                    & Q(lat__gte=-90, lat__lte=90)
                    & Q(long__gte=-180, long__lte=180)
                ),
                name="feedback_point_complete_and_in_range",
            ),
            models.CheckConstraint(
                condition=(Q(public_lat__isnull=True) & Q(public_long__isnull=True))
                | (Q(public_lat__isnull=False) & Q(public_long__isnull=False)),
                name="feedback_public_point_complete",
            ),
            models.UniqueConstraint(
                fields=["source_system", "external_id"],
                condition=~Q(external_id=""),
                name="feedback_one_item_per_source_id",
            ),
        ]

    def __str__(self) -> str:
        return self.public_title

    def get_absolute_url(self) -> str:
        return reverse("feedback:item", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.withdrawn_at is None

    @property
    def open311_status(self) -> str:
        return "closed" if self.status in OPEN311_CLOSED else "open"

    @property
    def has_contact(self) -> bool:
        return bool(self.email or self.phone or self.first_name or self.last_name)


class FeedbackStatusChange(models.Model):
    """One step of the handling trail; public unless `internal`."""

    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="history"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    internal = models.BooleanField(_("internal note"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]


def photo_upload_to(photo: FeedbackPhoto, filename: str) -> str:
    # A random name: the sender's file name and the item id stay out of the URL.
    return f"feedback/{secrets.token_urlsafe(16)}.{filename.rsplit('.', 1)[-1]}"


class FeedbackPhoto(models.Model):
    """A photo sent with feedback: re-encoded, metadata stripped, public only once a
    handler has checked it (faces, licence plates, house numbers)."""

    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        upload_to=photo_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    approved = models.BooleanField(_("checked and may be public"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]


class FeedbackSupport(TimeStampedModel):
    """One "me too" for one item: a user or an anonymous visitor's key."""

    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_supports",
    )
    anonymous_key = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user"],
                condition=Q(user__isnull=False),
                name="feedback_one_support_per_user",
            ),
            models.UniqueConstraint(
                fields=["item", "anonymous_key"],
                condition=Q(anonymous_key__isnull=False),
                name="feedback_one_support_per_key",
            ),
        ]


class FeedbackImportSource(TimeStampedModel):
    """Another GeoReport v2 server whose public feedback is pulled in
    (`manage.py import_georeport`, `feedback/services/imports.py`). Its items are
    matched by `name` + their id there, so a source is never renamed."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("Stored on every imported item as its source; do not rename."),
    )
    # Where the server's requests.json is, e.g. https://…/v1/
    base_url = models.URLField(_("base URL"), max_length=500, unique=True)
    licence = models.CharField(_("licence"), max_length=100, default="CC BY 4.0")
    # Untrusted: every imported item waits for a handler's check.
    trusted = models.BooleanField(_("publish without a check"), default=False)
    # Their service code → our service code (a service of `city`).
    service_map = models.JSONField(
        _("service codes (theirs → ours)"), default=dict, blank=True
    )
    fallback_service = models.ForeignKey(
        FeedbackService,
        verbose_name=_("service for unknown codes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: items with an unmapped service code are skipped."),
    )
    default_kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.FAULT
    )
    # The newest `updated_datetime` stored: the next run asks for `updated_after`.
    updated_after = models.DateTimeField(_("imported up to"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_run_ok = models.BooleanField(_("last run succeeded"), null=True, blank=True)
    last_run_report = models.TextField(_("last run's report"), blank=True)
    is_active = models.BooleanField(_("imported periodically"), default=True)

    class Meta:
        verbose_name = _("feedback import source")
        verbose_name_plural = _("feedback import sources")
        ordering = ["city", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.base_url.lower().startswith(("http://", "https://")):
            raise ValidationError({"base_url": _("Only http and https are allowed.")})
        codes = self.service_map
        if not isinstance(codes, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in codes.items()
        ):
            raise ValidationError({"service_map": _('Write {"their code": "ours"}.')})
        ours = FeedbackService.objects.filter(city_id=self.city_id)
        known = ours.filter(service_code__in=codes.values())
        if missing := set(codes.values()) - {s.service_code for s in known}:
            message = _("Not a service of this city: %s") % ", ".join(sorted(missing))
            raise ValidationError({"service_map": message})
