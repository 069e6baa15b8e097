import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0004_comment_first_published_at_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="comment",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                editable=False,
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "visible"), _negated=True),
                    ("first_published_at__isnull", False),
                    _connector="OR",
                ),
                name="comment_visible_was_published",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "pending"), _negated=True),
                    ("first_published_at__isnull", True),
                    _connector="OR",
                ),
                name="comment_pending_never_published",
            ),
        ),
    ]
