from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0006_joining"),
    ]

    operations = [
        # Filled in by 0008; its constraint comes in 0009, after the rows are
        # written.
        migrations.AddField(
            model_name="workshop",
            name="first_published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
