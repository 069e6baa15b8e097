import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Services carry created/updated times: the `feedback-services` dataset's
    incremental sync and the API's cache headers follow them."""

    dependencies = [("feedback", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="feedbackservice",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True,
                db_index=True,
                default=django.utils.timezone.now,
                verbose_name="created at",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="feedbackservice",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_index=True, verbose_name="updated at"
            ),
        ),
    ]
