"""Shared data: the timestamped base model and the City every app points to."""

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
