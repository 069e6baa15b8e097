"""Dreams move to the shared, translated topics and districts in core.

Step 1 of 3 (data; each step its own transaction, see participation 0005):

- every `ideas.Topic` becomes a `core.Topic` with the same id (or, if core
  already holds that id or slug for another row, the one with the same slug or
  a fresh id) and the dreams' topics are copied to `core_topics`;
- the free-text `Dream.district` becomes a `core.District` of the dream's city:
  the one whose name in any language matches, ignoring case, else a new district
  named (in Finnish) as the resident wrote it, so their choice is kept. A dream
  for all cities matches a district only when exactly one city has it.

The topics move before participation's (so planned services' tags match these
topics) and the districts after (so residents' text matches the districts
participation carried over with their ids): step 2, 0006.
"""

from django.core.management.color import no_style
from django.db import migrations, models
from django.db.models import Q
from django.utils.text import slugify


def _reset_sequences(schema_editor, *models) -> None:
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), models):
        schema_editor.execute(sql)


def _unique_slug(taken: set[str], text: str, fallback: str) -> str:
    base = (slugify(text) or fallback)[:50]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def topics_to_core(apps, schema_editor):
    OldTopic = apps.get_model("ideas", "Topic")
    Topic = apps.get_model("core", "Topic")
    Dream = apps.get_model("ideas", "Dream")
    mapping: dict[int, int] = {}
    for old in OldTopic.objects.order_by("pk"):
        same_slug = Topic.objects.filter(slug=old.slug).first()
        if same_slug is not None:
            mapping[old.pk] = same_slug.pk
            continue
        names = {"name_fi": old.name_fi, "name_sv": old.name_sv, "name_en": old.name_en}
        pk = None if Topic.objects.filter(pk=old.pk).exists() else old.pk
        mapping[old.pk] = Topic.objects.create(pk=pk, slug=old.slug, **names).pk
    _reset_sequences(schema_editor, Topic)
    old_links = Dream.topics.through.objects.values_list("dream_id", "topic_id")
    through = Dream.core_topics.through
    through.objects.bulk_create(
        through(dream_id=dream_id, topic_id=mapping[topic_id])
        for dream_id, topic_id in old_links
    )


def topics_back(apps, schema_editor):
    OldTopic = apps.get_model("ideas", "Topic")
    Topic = apps.get_model("core", "Topic")
    Dream = apps.get_model("ideas", "Dream")
    for topic in Topic.objects.all():
        OldTopic.objects.get_or_create(
            pk=topic.pk,
            defaults={
                "slug": topic.slug,
                "name_fi": topic.name_fi,
                "name_sv": topic.name_sv,
                "name_en": topic.name_en,
            },
        )
    through = Dream.topics.through
    through.objects.bulk_create(
        through(dream_id=d, topic_id=t)
        for d, t in Dream.core_topics.through.objects.values_list(
            "dream_id", "topic_id"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_places_topics_population"),
        ("ideas", "0004_dream_discussions"),
    ]
    run_before = [("participation", "0005_places_topics_data")]

    operations = [
        migrations.AddField(
            model_name="dream",
            name="core_topics",
            field=models.ManyToManyField(
                blank=True,
                related_name="dreams",
                to="core.topic",
                verbose_name="topics",
            ),
        ),
        migrations.AddField(
            model_name="dream",
            name="place",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="dreams",
                to="core.district",
                verbose_name="district",
            ),
        ),
        migrations.RunPython(topics_to_core, topics_back),
    ]
