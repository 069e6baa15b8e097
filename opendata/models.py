"""What open data keeps of its own: tombstones of rows that left the database or
stopped being public without changing. (The API keys are `core.ApiKey`.)"""

from django.db import models


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
