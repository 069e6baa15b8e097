"""Step 3 of 3: the old topics and the free-text district go; the copies take
their names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0006_places_districts_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="dream", name="topics"),
        migrations.RemoveField(model_name="dream", name="district"),
        migrations.DeleteModel(name="Topic"),
        migrations.RenameField(
            model_name="dream", old_name="core_topics", new_name="topics"
        ),
        migrations.RenameField(
            model_name="dream", old_name="place", new_name="district"
        ),
    ]
