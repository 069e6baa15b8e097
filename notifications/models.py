"""Follows and notifications: who wants to hear about what, and what they heard.

Both point at their target with a generic reference (content type + object id),
so any app can make its models followable without this app importing it. A
`Notification` also keeps a snapshot of the target's title and address taken when
it was sent: the list shows it without loading targets, and it still reads right
after the target is renamed or removed.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KIND_MAX_LENGTH = 64
TEXT_MAX_LENGTH = 255
URL_MAX_LENGTH = 500


class Follow(models.Model):
    """One person follows one target (a dream, a planned service, …)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            # Following twice is following once: services rely on this.
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="one_follow_per_user"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="follow_target_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"


class Notification(models.Model):
    """Something that happened to a target, told to one recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=KIND_MAX_LENGTH)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    text = models.CharField(_("text"), max_length=TEXT_MAX_LENGTH, blank=True)
    url = models.CharField(_("address"), max_length=URL_MAX_LENGTH, blank=True)
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_list_idx"
            ),
            # "My unread, newest first": the header count and the unread filter.
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
