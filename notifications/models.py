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

    # No index of its own: `notification_list_idx` starts with the recipient and
    # serves every lookup by recipient; one index less to write on each
    # notification and on each marking (a digest run marks 250,000).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
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
    # Set once the person was told by e-mail (at once, in a digest, or by the
    # app's own e-mail): no later digest repeats it.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

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
            # The digests' scan: what nobody has e-mailed and nobody has read
            # yet, person by person, newest first. Only those rows are in it,
            # so a person's years of told news cost a run nothing.
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(emailed_at__isnull=True, read_at__isnull=True),
                name="notification_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("By e-mail at once")
    DAILY = "daily", _("In a daily e-mail digest")
    WEEKLY = "weekly", _("In a weekly e-mail digest")
    NEVER = "never", _("Never by e-mail")


# What a person gets when they chose nothing (the issue: a daily digest).
DEFAULT_DELIVERY = Delivery.DAILY
# The kind of a preference that covers every kind without a row of its own.
ALL_KINDS = ""


class DeliveryPreference(models.Model):
    """How one person wants to hear of one kind of notification by e-mail.

    `kind` empty is the person's choice for every kind without a row of its own
    (what "unsubscribe from everything" sets). The notification centre shows
    every notification whatever is chosen here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="delivery_preferences",
    )
    kind = models.CharField(_("kind"), max_length=KIND_MAX_LENGTH, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=DEFAULT_DELIVERY
    )

    class Meta:
        verbose_name = _("delivery preference")
        verbose_name_plural = _("delivery preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_delivery_per_user_kind"
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=[c.value for c in Delivery]),
                name="delivery_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind or '*'}: {self.delivery}"
