"""Give every dream its comment thread.

Dream pages used to create the thread on their first view (a write on GET); now the
service that tells a dream creates it, and this gives the dreams told before one.
The thread takes anonymous comments where the dream's city allows anonymous
participation, as `ideas.services.dream_discussion` sets it.
"""

from django.db import migrations
from django.urls import reverse

TARGET_TYPE = "ideas.dream"


def create_missing(apps, schema_editor):
    Dream = apps.get_model("ideas", "Dream")
    Discussion = apps.get_model("discussions", "Discussion")
    IdeasCitySettings = apps.get_model("ideas", "IdeasCitySettings")
    anonymous_cities = set(
        IdeasCitySettings.objects.filter(allow_anonymous=True).values_list(
            "city_id", flat=True
        )
    )
    have = set(
        Discussion.objects.filter(target_type=TARGET_TYPE).values_list(
            "target_key", flat=True
        )
    )
    missing = Dream.objects.only("pk", "title", "city_id").order_by("pk")
    batch = []
    for dream in missing.iterator(chunk_size=1000):
        if str(dream.pk) in have:
            continue
        batch.append(
            Discussion(
                target_type=TARGET_TYPE,
                target_key=str(dream.pk),
                city_id=dream.city_id,
                title=dream.title,
                url=reverse("ideas:dream_detail", args=[dream.pk]),
                allow_anonymous=dream.city_id in anonymous_cities,
            )
        )
        if len(batch) >= 1000:
            Discussion.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Discussion.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0003_dreams_outlive_deleted_accounts"),
        ("discussions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_missing, migrations.RunPython.noop)]
