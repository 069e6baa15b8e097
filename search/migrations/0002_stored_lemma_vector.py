"""The lemma index keeps a stored tsvector column on PostgreSQL (`LemmaIndex` in
`core.text.search`): the expression index is dropped and the index made again,
now over the stored column; and an index on the date, newest first, from which
the search takes its candidates. Nothing changes on SQLite."""

import core.text.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RemoveIndex(
            model_name="searchdocument", name="search_document_lemmas"
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=core.text.search.LemmaIndex(
                field="search_terms", name="search_document_lemmas"
            ),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["-date", "-id"], name="search_document_newest"
            ),
        ),
    ]
