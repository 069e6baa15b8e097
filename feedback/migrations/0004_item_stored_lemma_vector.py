"""The lemma index keeps a stored tsvector column on PostgreSQL (`LemmaIndex` in
`core.text.search`): the expression index is dropped and the index made again,
now over the stored column. Nothing changes on SQLite."""

import core.text.search
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_import_sources")]

    operations = [
        migrations.RemoveIndex(model_name="feedbackitem", name="feedback_item_lemmas"),
        migrations.AddIndex(
            model_name="feedbackitem",
            index=core.text.search.LemmaIndex(
                field="search_terms", name="feedback_item_lemmas"
            ),
        ),
    ]
