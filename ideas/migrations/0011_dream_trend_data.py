from datetime import timedelta

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

# As ideas.models at the time of writing (a migration does not import the code
# that may change after it).
TRENDING_DAYS = 7


def count_trends(apps, schema_editor):
    """Each dream's supports of the trending window, as `dream_trends_refresh`
    counts them: one UPDATE, of the dreams that have any."""
    Dream = apps.get_model("ideas", "Dream")
    DreamSupport = apps.get_model("ideas", "DreamSupport")
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    since = hour - timedelta(days=TRENDING_DAYS)
    recent = DreamSupport.objects.filter(created_at__gte=since)
    per_dream = (
        recent.filter(dream=OuterRef("pk"))
        .order_by()
        .values("dream")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Dream.objects.filter(pk__in=recent.values("dream_id")).update(
        trend=Subquery(per_dream)
    )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0010_dream_trend")]

    # Backwards the column goes with 0010; nothing to undo here.
    operations = [migrations.RunPython(count_trends, migrations.RunPython.noop)]
