"""Shared data: the timestamped base model; the reference data every app points to
(City, District, Topic, population figures); the e-mail outbox, job runs and API
keys."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from core.translation import TranslatedField


class TimeStampedModel(models.Model):
    """Base for rows opened as data: `updated_at` drives incremental sync."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class City(models.Model):
    """A municipality running participation on the platform.

    Every planned service, dream, workshop and role belongs to one city. The city's
    public front page is a `cms.CityPage` pointing here.
    """

    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name

    name = TranslatedField("name")


class District(models.Model):
    """A district of a city (Kallio / Berghäll), named in each language.

    Planned services, dreams, feedback and residents' home districts point here,
    so statistics per district mean the same everywhere."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="districts"
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        ordering = ["city", "name_fi"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "slug"], name="core_district_unique_slug"
            ),
            models.UniqueConstraint(
                fields=["city", "name_fi"], name="core_district_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    name = TranslatedField("name")


class Topic(models.Model):
    """A theme (mobility, culture …) shared by planned services, dreams and feedback."""

    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name_fi = models.CharField(_("name in Finnish"), max_length=80)
    name_sv = models.CharField(_("name in Swedish"), max_length=80, blank=True)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    name = TranslatedField("name")


class AgeBand(models.TextChoices):
    """Age bands of population figures and of residents' voluntary background."""

    UNDER_18 = "under_18", _("under 18")
    AGE_18_29 = "18_29", _("18–29")
    AGE_30_44 = "30_44", _("30–44")
    AGE_45_64 = "45_64", _("45–64")
    AGE_65_74 = "65_74", _("65–74")
    AGE_75_UP = "75_up", _("75 or over")


class Gender(models.TextChoices):
    FEMALE = "female", _("woman")
    MALE = "male", _("man")
    OTHER = "other", _("other")
    UNDISCLOSED = "undisclosed", _("prefer not to say")


class PopulationDimension(models.TextChoices):
    TOTAL = "total", _("total")
    AGE_BAND = "age_band", _("age band")
    GENDER = "gender", _("gender")
    FIRST_LANGUAGE = "first_language", _("first language")


# The groups each breakdown accepts (first language: any ISO 639-1 code or
# "other", checked by pattern).
POPULATION_GROUPS = {
    PopulationDimension.AGE_BAND: set(AgeBand.values),
    PopulationDimension.GENDER: set(Gender.values),
}
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")


class PopulationFigure(models.Model):
    """How many residents a city (or one district) has, in total or in one group.

    Editors keep these from the statistics office's figures; insights compare
    who takes part with them ("who is missing") and panels draw by them. `group`
    is empty for the total, an `AgeBand` or `Gender` value, or for first
    language an ISO 639-1 code (fi, sv, ru …) or "other"."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="population_figures",
        help_text=_("Empty for the whole city."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    dimension = models.CharField(
        _("dimension"), max_length=20, choices=PopulationDimension.choices
    )
    group = models.CharField(_("group"), max_length=20, blank=True)
    count = models.PositiveIntegerField(_("residents"))

    class Meta:
        ordering = ["city", "year", "district", "dimension", "group"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            # NULLs are distinct in a unique constraint: the whole city is
            # constrained by the second one.
            models.UniqueConstraint(
                fields=["city", "district", "year", "dimension", "group"],
                name="core_population_unique_district_group",
            ),
            models.UniqueConstraint(
                fields=["city", "year", "dimension", "group"],
                condition=models.Q(district__isnull=True),
                name="core_population_unique_city_group",
            ),
            models.CheckConstraint(
                condition=models.Q(dimension="total", group="")
                | (~models.Q(dimension="total") & ~models.Q(group="")),
                name="core_population_group_matches_dimension",
            ),
        ]

    def clean(self) -> None:
        # The form's own checks; the database holds the same rules where it can.
        errors = {}
        self.group = (self.group or "").strip()
        if self.dimension == PopulationDimension.FIRST_LANGUAGE:
            self.group = self.group.lower()
        allowed = POPULATION_GROUPS.get(self.dimension)
        if self.dimension == PopulationDimension.TOTAL and self.group:
            errors["group"] = _("The total has no group: leave the group empty.")
        elif allowed is not None and self.group not in allowed:
            errors["group"] = _(
                "“%(group)s” is not a group of %(dimension)s. Use one of: %(allowed)s."
            ) % {
                "group": self.group,
                "dimension": self.get_dimension_display(),
                "allowed": ", ".join(sorted(allowed)),
            }
        elif self.dimension == PopulationDimension.FIRST_LANGUAGE and not (
            self.group == "other" or _LANGUAGE_CODE.fullmatch(self.group)
        ):
            errors["group"] = _(
                "Give the first language as a two-letter code (fi, sv, ru …) "
                "or “other”."
            )
        if (
            self.district_id is not None
            and self.city_id is not None
            and self.district.city_id != self.city_id
        ):
            errors["district"] = _("The district is not in this city.")
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        place = self.district or self.city
        return f"{place} {self.year} {self.dimension} {self.group}".strip()


class OutgoingMail(TimeStampedModel):
    """The e-mail outbox: rows written in the same transaction as the change.

    `core.mail.outbox_kick` sends them in batches after the commit, and
    `manage.py send_queued_mail` sends whatever is left (e.g. after a restart).
    """

    to_email = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    # Optional: an HTML alternative to the plain text `body`, and extra headers
    # (e.g. `List-Unsubscribe`), both sent as they are.
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "id"], name="outbox_unsent")]


class JobRun(models.Model):
    """When a periodic job (`core.jobs`) last ran, for claiming and health checks."""

    name = models.CharField(max_length=100, unique=True)
    next_due_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_succeeded_at = models.DateTimeField(null=True, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return self.name


class ApiKeyManager(BaseAPIKeyManager):
    pass


class ApiKey(AbstractAPIKey):
    """A key a program sends to the platform's APIs (`core.apikeys`).

    Only a hash of the key is stored (djangorestframework-api-key: its prefix
    finds the row, SHA-512 of the whole key checks it); the key itself is shown
    once, when it is issued. Revoking is final. `scopes` says what the key may do,
    space-separated in the fixed order of `core.apikeys.SCOPES`; every key has
    `read` (the open data API's higher limits), so it always comes first.
    """

    objects = ApiKeyManager()

    owner = models.CharField(
        _("owner"),
        max_length=200,
        help_text=_("Who uses the key and how to reach them (organisation, contact)."),
    )
    scopes = models.CharField(_("scopes"), max_length=200, default="read")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=Q(scopes="read") | Q(scopes__startswith="read "),
                name="apikey_scopes_include_read",
            )
        ]

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scope_list
