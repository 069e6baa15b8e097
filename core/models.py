"""Shared data: the timestamped base model, the City every app points to, and the
e-mail outbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _

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


class OutgoingMail(TimeStampedModel):
    """The e-mail outbox: rows written in the same transaction as the change.

    `core.mail.outbox_kick` sends them in batches after the commit, and
    `manage.py send_queued_mail` sends whatever is left (e.g. after a restart).
    """

    to_email = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
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
