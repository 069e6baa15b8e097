"""PostgreSQL only: a generated tsvector column for dreams and its GIN index.

The model does not declare the column (SQLite has no tsvector); `ideas.search`
uses it through raw SQL on PostgreSQL and falls back to word overlap elsewhere.
"""

from django.db import migrations

CREATE = [
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
DROP = [
    "DROP INDEX IF EXISTS ideas_dream_search_gin",
    "ALTER TABLE ideas_dream DROP COLUMN IF EXISTS search_tsv",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
