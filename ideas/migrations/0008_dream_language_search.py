"""Dreams' language becomes a `TextLanguageField` (guessed again for the existing
dreams), and their search moves to `core.text`: the analysed `search_terms` with
its lemma index replace the PostgreSQL-only `search_tsv` column of 0002."""

import core.text.fields
import core.text.search
from core.text.analysis import document
from core.text.migrations import guess_languages
from django.db import migrations

BATCH = 2000

# Migration 0002's column and index, dropped here on PostgreSQL only (like 0002,
# which created them there only); recreated when migrating backwards.
DROP_TSV = [
    "DROP INDEX IF EXISTS ideas_dream_search_gin",
    "ALTER TABLE ideas_dream DROP COLUMN IF EXISTS search_tsv",
]
CREATE_TSV = [
    """
    ALTER TABLE ideas_dream ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')
        || setweight(
            to_tsvector('simple'::regconfig, coalesce(what_would_change, '')), 'C'
        )
    ) STORED
    """,
    "CREATE INDEX ideas_dream_search_gin ON ideas_dream USING gin (search_tsv)",
]


def drop_tsv(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_TSV:
            schema_editor.execute(statement)


def create_tsv(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_TSV:
            schema_editor.execute(statement)


def fill_search_terms(apps, schema_editor):
    """The same document `ideas.services` writes (frozen here as of this
    migration): title weight 3, description and what would change weight 1, and
    the title and description of the dreams merged into it."""
    Dream = apps.get_model("ideas", "Dream")
    merged: dict[int, list] = {}
    for row in Dream.objects.filter(merged_into__isnull=False).values(
        "merged_into_id", "title", "description", "language"
    ):
        merged.setdefault(row["merged_into_id"], []).append(row)
    changed = []
    rows = Dream.objects.only(
        "pk", "title", "description", "what_would_change", "language"
    ).order_by("pk")
    for dream in rows.iterator(chunk_size=BATCH):
        parts = [
            (dream.title, dream.language, 3),
            (dream.description, dream.language, 1),
            (dream.what_would_change, dream.language, 1),
        ]
        for other in merged.get(dream.pk, ()):
            parts.append((other["title"], other["language"], 1))
            parts.append((other["description"], other["language"], 1))
        dream.search_terms = document(*parts)
        changed.append(dream)
        if len(changed) >= BATCH:
            Dream.objects.bulk_update(changed, ["search_terms"])
            changed = []
    Dream.objects.bulk_update(changed, ["search_terms"])


class Migration(migrations.Migration):
    dependencies = [("ideas", "0007_places_topics_schema")]

    operations = [
        migrations.RunPython(drop_tsv, create_tsv),
        migrations.AddField(
            model_name="dream",
            name="search_terms",
            field=core.text.search.SearchTermsField(
                blank=True, default="", editable=False
            ),
        ),
        migrations.AlterField(
            model_name="dream",
            name="language",
            field=core.text.fields.TextLanguageField(
                choices=[("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")],
                default="fi",
                max_length=5,
                verbose_name="language",
            ),
        ),
        guess_languages("ideas", "Dream", "title", "description", "what_would_change"),
        migrations.RunPython(fill_search_terms, migrations.RunPython.noop),
        # The index comes in 0009: PostgreSQL refuses to build an index on a
        # table with pending trigger events (the rows just written) in the
        # same transaction.
    ]
