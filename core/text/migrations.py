"""Migration helpers for text that gains a language (`TextLanguageField`)."""

from __future__ import annotations

from django.db import migrations

from core.text.analysis import guess_language

BATCH = 2000


def guess_languages(app_label: str, model_name: str, *text_fields: str):
    """A RunPython operation that sets `language` of the existing rows from their
    text (simplemma's guess among fi/sv/en; Finnish when too short to tell)."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        rows = model.objects.only("pk", "language", *text_fields).order_by("pk")
        changed = []
        for row in rows.iterator(chunk_size=BATCH):
            text = " ".join(getattr(row, name) or "" for name in text_fields)
            language = guess_language(text, default=row.language)
            if language != row.language:
                row.language = language
                changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["language"])
                changed = []
        model.objects.bulk_update(changed, ["language"])

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
