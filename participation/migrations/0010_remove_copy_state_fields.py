"""Schema: the copies' own lifecycle fields go; 0009 moved their values into
`ServiceState` (#15)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0009_service_state_data"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='plannedservicepage',
            name='allow_anonymous',
        ),
        migrations.RemoveField(
            model_name='plannedservicepage',
            name='answer_published_at',
        ),
        migrations.RemoveField(
            model_name='plannedservicepage',
            name='comments_close_at',
        ),
        migrations.RemoveField(
            model_name='plannedservicepage',
            name='comments_open_at',
        ),
        migrations.RemoveField(
            model_name='plannedservicepage',
            name='premoderated',
        ),
        migrations.RemoveField(
            model_name='plannedservicepage',
            name='report_threshold',
        ),
        migrations.RemoveField(
            model_name='plannedservicepage',
            name='status',
        ),
    ]
