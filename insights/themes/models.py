"""A theme of one city and scope, and the texts in it (references, not copies)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import City

LABEL_MAX = 80


class Scope(models.TextChoices):
    ALL = "all", _("All input of the city")
    SERVICE = "service", _("A planned service")
    WORKSHOP = "workshop", _("A workshop")
    TOPIC = "topic", _("A dream topic")


class Source(models.TextChoices):
    COMMENT = "comment", _("Comment")
    DREAM = "dream", _("Service dream")
    CARD = "card", _("Workshop card")
    FEEDBACK = "feedback", _("Feedback")


class Theme(models.Model):
    """Its id stays while recomputation finds it again (member overlap), and with
    it the label, the hiding and the merges staff made."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    # "" for the whole city; a workshop's or topic's id, a planned service's key.
    scope_key = models.CharField(_("scope key"), max_length=64, blank=True)
    label = models.CharField(_("name"), max_length=LABEL_MAX, blank=True)
    words = models.JSONField(_("words"), default=list)
    size = models.PositiveIntegerField(_("size"), default=0)
    public_size = models.PositiveIntegerField(_("public size"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="merged",
    )
    method = models.CharField(_("method"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        indexes = [models.Index(fields=["city", "scope", "scope_key", "-size"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")),
                name="theme_not_merged_in_self",
            ),
            models.CheckConstraint(
                condition=Q(scope="all", scope_key="") | ~Q(scope="all"),
                name="theme_all_scope_has_no_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The staff's label, or the theme's first words."""
        return self.label or ", ".join(self.words[:3])


class ThemeMember(models.Model):
    """One text of a theme: which object it is and whether anyone may see it."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="members")
    source = models.CharField(max_length=10, choices=Source.choices)
    object_id = models.PositiveBigIntegerField()
    is_public = models.BooleanField(default=False)
    # 0 = the most typical text of the theme.
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "source", "object_id"], name="theme_member_unique"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["comment", "dream", "card", "feedback"]),
                name="theme_member_source_known",
            ),
        ]
        indexes = [models.Index(fields=["theme", "is_public", "rank"])]
