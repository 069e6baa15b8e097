"""When existing workshops' results were first published, as far as the rows tell.

- Published now: since `results_published_at` (else the close, which came first).
- Never closed: never published (publishing needs the close, which is final).
- Closed and not published: withdrawing cleared the publication time, so one
  whose results were published and withdrawn looks the same as one never
  published. Counted as published once, from the close: the choice that never
  leaks. A mirror that copied its results gets the tombstones that make it delete
  them, at the price of a bare id and time for a workshop (and its cards) nobody
  was shown, which is what open data returned for them before this record
  existed. Publications from now on are recorded exactly.
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Workshop = apps.get_model("workshops", "Workshop")
    Workshop.objects.filter(results_published=True).update(
        first_published_at=Coalesce(
            F("results_published_at"), F("closed_at"), F("updated_at")
        )
    )
    Workshop.objects.filter(results_published=False, closed_at__isnull=False).update(
        first_published_at=F("closed_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0007_workshop_first_published_at"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
