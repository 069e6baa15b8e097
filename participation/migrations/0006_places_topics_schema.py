"""Step 2 of 3: the planned services' districts point to `core.District` (same
ids, copied in step 1), the taggit topics go and `core_topics` becomes `topics`."""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0005_places_topics_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="plannedservicepage",
            name="districts",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                related_name="planned_services",
                to="core.district",
                verbose_name="districts",
            ),
        ),
        migrations.RemoveField(model_name="plannedservicepage", name="topics"),
        migrations.DeleteModel(name="PlannedServiceTag"),
        migrations.RenameField(
            model_name="plannedservicepage", old_name="core_topics", new_name="topics"
        ),
    ]
