from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0002_comment_language"),
    ]

    operations = [
        # Empty for every existing row until 0004 fills it in; its default and
        # constraints come in 0005, after the rows are written.
        migrations.AddField(
            model_name="comment",
            name="first_published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
