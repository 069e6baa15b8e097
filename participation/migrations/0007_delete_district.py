"""Step 3 of 3: `participation.District` goes (its rows live on in core)."""

from django.db import migrations


def districts_back(apps, schema_editor):
    """Backwards: the old table gets the districts again, same ids, Finnish name."""
    OldDistrict = apps.get_model("participation", "District")
    District = apps.get_model("core", "District")
    OldDistrict.objects.bulk_create(
        OldDistrict(pk=d.pk, city_id=d.city_id, name=d.name_fi)
        for d in District.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0006_places_topics_schema"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, districts_back),
        migrations.DeleteModel(name="District"),
    ]
