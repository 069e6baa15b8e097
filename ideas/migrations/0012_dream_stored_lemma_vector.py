"""The lemma index keeps a stored tsvector column on PostgreSQL (`LemmaIndex` in
`core.text.search`): the expression index is dropped and the index made again,
now over the stored column. Nothing changes on SQLite."""

import core.text.search
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ideas", "0011_dream_trend_data")]

    operations = [
        migrations.RemoveIndex(model_name="dream", name="ideas_dream_lemmas"),
        migrations.AddIndex(
            model_name="dream",
            index=core.text.search.LemmaIndex(
                field="search_terms", name="ideas_dream_lemmas"
            ),
        ),
    ]
