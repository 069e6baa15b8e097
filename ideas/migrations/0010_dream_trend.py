from django.db import migrations, models


class Migration(migrations.Migration):
    """The trending sort's column and its indexes; the counts are filled in by the
    next migration (PostgreSQL will not alter a table and write its rows in one
    transaction)."""

    dependencies = [("ideas", "0009_dream_lemma_index")]

    operations = [
        migrations.AddField(
            model_name="dream",
            name="trend",
            field=models.PositiveIntegerField(
                default=0, verbose_name="supports this week"
            ),
        ),
        migrations.AddIndex(
            model_name="dream",
            index=models.Index(fields=["-trend", "-id"], name="dream_trending_idx"),
        ),
        migrations.AddIndex(
            model_name="dream",
            index=models.Index(
                fields=["city", "-trend", "-id"], name="dream_city_trending_idx"
            ),
        ),
    ]
