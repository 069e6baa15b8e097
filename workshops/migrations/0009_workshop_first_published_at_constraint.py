from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0008_workshop_first_published_at_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="workshop",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("results_published", False),
                    ("first_published_at__isnull", False),
                    _connector="OR",
                ),
                name="workshop_published_has_first_publication",
            ),
        ),
    ]
