"""Customer panels, their applications, meetings and attendance.

A `Panel` belongs to a city and mirrors it by the criteria it names (age band,
district, first language, gender, and the city's own `PanelCustomCriterion`s).
Residents apply (`PanelApplication`, one per person and panel) giving the
background the panel asks for under the consent `panel_selection`; the draw
(`workshops.panels.draw`) turns applications into invited members and a ranked
reserve. Meetings are ordinary workshops (`PanelMeeting` ties one to the panel,
online or in a place); members join them without a join code, and facilitators
record `PanelAttendance`. Imported by `workshops.models` (the app's models).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import City, TimeStampedModel

PANEL_SIZE_MIN = 3
PANEL_SIZE_MAX = 200
CUSTOM_OPTIONS_MAX = 12


def new_seed() -> str:
    return secrets.token_hex(16)


class Criterion(models.TextChoices):
    """The standard criteria; a city's own ones are keyed `custom-<id>`."""

    AGE_BAND = "age_band", _("age band")
    DISTRICT = "district", _("home district")
    FIRST_LANGUAGE = "first_language", _("first language")
    GENDER = "gender", _("gender")


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("weekdays, daytime")
    WEEKDAY_EVENING = "weekday_evening", _("weekday evenings")
    WEEKEND = "weekend", _("weekends")
    ONLINE = "online", _("online meetings")


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    INVITED = "invited", _("selected, invited")
    MEMBER = "member", _("member")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Statuses of the people drawn to the panel (its size counts them).
DRAWN_STATUSES = (ApplicationStatus.INVITED, ApplicationStatus.MEMBER)


class Panel(TimeStampedModel):
    """A standing customer panel of one city, for one term."""

    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="customer_panels",
        verbose_name=_("city"),
    )
    theme = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    size = models.PositiveSmallIntegerField(_("size"))
    term_starts_on = models.DateField(_("term starts"))
    term_ends_on = models.DateField(_("term ends"))
    languages = models.JSONField(_("meeting languages"), default=list)
    accessibility = models.TextField(_("accessibility of meetings"), blank=True)
    interpretation = models.TextField(_("interpretation"), blank=True)
    criteria = models.JSONField(_("criteria"), default=list)
    applications_close_at = models.DateTimeField(_("applications close"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Fixed when the panel is created; only its hash is shown until the draw.
    seed = models.CharField(max_length=64, default=new_seed, editable=False)
    seed_hash = models.CharField(max_length=64, editable=False)
    drawn_at = models.DateTimeField(null=True, blank=True)
    algorithm = models.CharField(max_length=40, blank=True)
    pool_hash = models.CharField(max_length=64, blank=True)
    pool_size = models.PositiveIntegerField(null=True, blank=True)
    # The pseudonymised pool as drawn (`draw.pool_document`): random ids and
    # groups, never a name or account; what an auditor is given.
    pool = models.JSONField(default=list, blank=True, editable=False)
    # Target shares frozen at the draw: {criterion: {group: share}}.
    targets = models.JSONField(default=dict, blank=True)
    # The largest deviation from a target share, in percentage points.
    fit = models.FloatField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["city", "-term_starts_on", "id"]
        verbose_name = _("customer panel")
        verbose_name_plural = _("customer panels")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__gt=F("term_starts_on")),
                name="panel_term_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(size__gte=PANEL_SIZE_MIN, size__lte=PANEL_SIZE_MAX),
                name="panel_size_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.theme

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None

    @property
    def applications_open(self) -> bool:
        return (
            not self.is_drawn
            and self.ended_at is None
            and timezone.now() < self.applications_close_at
        )

    @property
    def has_ended(self) -> bool:
        return self.ended_at is not None


class PanelCustomCriterion(models.Model):
    """A criterion the city adds, with its options and their target shares.

    `options` is a list of {"value", "label", "share"} (shares sum to 1)."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="custom_criteria"
    )
    question = models.CharField(_("question"), max_length=200)
    options = models.JSONField(_("options"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "position", "id"]
        verbose_name = _("panel criterion")
        verbose_name_plural = _("panel criteria")

    def __str__(self) -> str:
        return self.question

    @property
    def key(self) -> str:
        return f"custom-{self.pk}"


class PanelApplication(TimeStampedModel):
    """One person's application to one panel; `answers` maps each criterion key
    to the group they gave (absent: not given). `pseudonym` is what the draw and
    the published pool know them by."""

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="applications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="panel_applications",
    )
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    answers = models.JSONField(default=dict, blank=True)
    availability = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    # Place on the reserve list (1 first); None: not a reserve.
    reserve_rank = models.PositiveIntegerField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "id"]
        verbose_name = _("panel application")
        verbose_name_plural = _("panel applications")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "user"], name="one_application_per_panel"
            ),
            models.UniqueConstraint(
                fields=["panel", "reserve_rank"],
                condition=Q(reserve_rank__isnull=False),
                name="panel_unique_reserve_rank",
            ),
            models.CheckConstraint(
                condition=Q(reserve_rank__isnull=True) | Q(status="applied"),
                name="panel_reserve_is_an_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel}: {self.pseudonym}"

    @property
    def is_drawn(self) -> bool:
        return self.status in DRAWN_STATUSES


class PanelMeeting(models.Model):
    """A workshop (of any method) held as a meeting of the panel."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="meetings")
    workshop = models.OneToOneField(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="panel_meeting"
    )
    online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["panel", "workshop__starts_at", "id"]
        verbose_name = _("panel meeting")
        verbose_name_plural = _("panel meetings")

    def __str__(self) -> str:
        return str(self.workshop)


class PanelAttendance(models.Model):
    """Whether a member came to a meeting, as a facilitator recorded it."""

    meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.CASCADE, related_name="attendance"
    )
    application = models.ForeignKey(
        PanelApplication, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("present"), default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"], name="one_attendance_per_member"
            )
        ]
