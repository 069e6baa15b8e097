"""The content languages exist from the start: Finnish (default), Swedish, English."""

from django.db import migrations

LANGUAGE_CODES = ["fi", "sv", "en"]


def locales_create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGE_CODES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_city_page_hero_and_body"),
        ("wagtailcore", "0098_apitoken"),
    ]

    # Reversing leaves the locales: pages may already use them.
    operations = [migrations.RunPython(locales_create, migrations.RunPython.noop)]
