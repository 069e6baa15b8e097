"""Planned services store their city (the parent city page's), filled in here."""

import django.db.models.deletion
from django.db import migrations, models


def city_fill(apps, schema_editor):
    PlannedServicePage = apps.get_model("participation", "PlannedServicePage")
    CityPage = apps.get_model("cms", "CityPage")
    steplen = 4  # Wagtail's (treebeard's) path step
    pages = list(PlannedServicePage.objects.only("pk", "path"))
    cities = dict(
        CityPage.objects.filter(path__in={p.path[:-steplen] for p in pages})
        .values_list("path", "city_id")
    )
    for page in pages:
        city_id = cities.get(page.path[:-steplen])
        if city_id is not None:
            PlannedServicePage.objects.filter(pk=page.pk).update(city_id=city_id)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_locales"),
        ("core", "0001_initial"),
        ("participation", "0002_move_discussions_out"),
    ]

    operations = [
        migrations.AddField(
            model_name='plannedservicepage',
            name='city',
            field=models.ForeignKey(blank=True, editable=False, help_text="The parent city page's city, set when the page is saved.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.city', verbose_name='city'),
        ),
        migrations.RunPython(city_fill, migrations.RunPython.noop),
    ]
