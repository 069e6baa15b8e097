"""Data: one `ServiceState` per translation key, built from the language copies.

The copies kept their own status, comment period, discussion rules and answer
time, and they disagreed. The source copy — the Finnish one (the site's default
language), else the oldest — gives the values; an answer published on any copy
is kept (its time and its status), since it was sent to the participants.
Reversing puts the shared values back on every copy.
"""

from django.conf import settings
from django.db import migrations

FIELDS = (
    "status",
    "comments_open_at",
    "comments_close_at",
    "allow_anonymous",
    "premoderated",
    "report_threshold",
    "answer_published_at",
)


def _source_first(copies, default_language):
    return sorted(
        copies,
        key=lambda p: (p.locale.language_code != default_language, p.pk),
    )


def forwards(apps, schema_editor):
    Page = apps.get_model("participation", "PlannedServicePage")
    ServiceState = apps.get_model("participation", "ServiceState")
    default_language = settings.LANGUAGE_CODE.split("-")[0]
    groups: dict = {}
    for page in Page.objects.select_related("locale").order_by("pk"):
        groups.setdefault(page.translation_key, []).append(page)
    for key, copies in groups.items():
        ordered = _source_first(copies, default_language)
        source = ordered[0]
        values = {name: getattr(source, name) for name in FIELDS}
        if values["answer_published_at"] is None:
            answered = [p for p in ordered if p.answer_published_at is not None]
            if answered:
                values["answer_published_at"] = answered[0].answer_published_at
                values["status"] = answered[0].status
        state, _created = ServiceState.objects.update_or_create(
            translation_key=key, defaults=values
        )
        Page.objects.filter(pk__in=[p.pk for p in copies]).update(state=state)


def backwards(apps, schema_editor):
    Page = apps.get_model("participation", "PlannedServicePage")
    for page in Page.objects.select_related("state").exclude(state=None):
        for name in FIELDS:
            setattr(page, name, getattr(page.state, name))
        page.save(update_fields=list(FIELDS))


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0008_service_state"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
