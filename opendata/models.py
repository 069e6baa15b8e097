"""What open data keeps of its own: tombstones of rows that left the database or
stopped being public without changing, and the API keys issued in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager


class Tombstone(models.Model):
    """A row of `dataset` that was public and is gone: hard-deleted, or withdrawn
    without its own change time moving (a page unpublished without a new revision,
    the comments of a withdrawn service).

    Readers who sync with `updated_since` get it merged into the list in the same
    (updated_at, id) order as the live rows. It never holds any text: only which
    row, of which city, and when.
    """

    dataset = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    city = models.CharField(max_length=60, blank=True)
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The keyset of the merged sync list: constant cost at any depth.
            models.Index(
                fields=["dataset", "removed_at", "object_id"], name="tombstone_sync"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset}:{self.object_id}"


class ApiKeyManager(BaseAPIKeyManager):
    pass


class ApiKey(AbstractAPIKey):
    """A key that raises a client's request limit on the open data API and the
    downloads. Only a hash of the key is stored (djangorestframework-api-key: its
    prefix finds the row, SHA-512 of the whole key checks it); the key itself is
    shown once, when it is issued. Revoking is final."""

    objects = ApiKeyManager()

    owner = models.CharField(
        _("owner"),
        max_length=200,
        help_text=_("Who uses the key and how to reach them (organisation, contact)."),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
