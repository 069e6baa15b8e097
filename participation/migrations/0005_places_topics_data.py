"""Planned services move to the shared, translated districts and topics in core.

Step 1 of 3 (data; each step is its own transaction so PostgreSQL never alters a
table with pending constraint checks):

- every `participation.District` becomes a `core.District` with the same primary
  key, so the district ids stored in page revisions stay valid;
- every taggit tag on a planned service becomes a `core.Topic`: a topic whose
  name in any language (or slug) matches the tag, ignoring case, else a new one
  named in the page's language; the page's tags are copied to `core_topics`
  (renamed `topics` in step 2);
- the stored revisions (`wagtailcore.Revision.content`) get `topics` as a list of
  topic ids instead of `tagged_items`, so old revisions still load in the editor.
"""

import modelcluster.fields
from django.core.management.color import no_style
from django.db import migrations
from django.utils.text import slugify

LANGUAGES = ("fi", "sv", "en")


def _unique_slug(taken: set[str], text: str, fallback: str) -> str:
    base = (slugify(text) or fallback)[:50]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _reset_sequences(schema_editor, *models) -> None:
    # Rows were inserted with explicit ids: move PostgreSQL's sequences past them.
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), models):
        schema_editor.execute(sql)


def districts_to_core(apps, schema_editor):
    OldDistrict = apps.get_model("participation", "District")
    District = apps.get_model("core", "District")
    taken: dict[int, set[str]] = {}
    for district_row in District.objects.all():
        taken.setdefault(district_row.city_id, set()).add(district_row.slug)
    for old in OldDistrict.objects.order_by("pk"):
        existing = District.objects.filter(pk=old.pk).first()
        if existing is not None:
            continue
        slugs = taken.setdefault(old.city_id, set())
        District.objects.create(
            pk=old.pk,
            city_id=old.city_id,
            slug=_unique_slug(slugs, old.name, f"district-{old.pk}"),
            name_fi=old.name,
        )
    _reset_sequences(schema_editor, District)


class _Topics:
    """Tags to topics: the match ignores case and looks at every language's name
    and the slug; a tag nobody matches becomes a topic named in its page's
    language (Finnish is required on every row, so it gets the same text)."""

    def __init__(self, apps):
        self.Topic = apps.get_model("core", "Topic")
        self.by_name: dict[str, int] = {}
        self.slugs: set[str] = set()
        for topic in self.Topic.objects.all():
            self._remember(topic)

    def _remember(self, topic) -> None:
        self.slugs.add(topic.slug)
        for value in (topic.slug, topic.name_fi, topic.name_sv, topic.name_en):
            if value:
                self.by_name.setdefault(value.strip().casefold(), topic.pk)

    def topic_id(self, name: str, language: str) -> int:
        key = name.strip().casefold()
        if key not in self.by_name:
            fields = {"name_fi": name.strip()[:80]}
            if language in LANGUAGES:
                fields[f"name_{language}"] = name.strip()[:80]
            topic = self.Topic.objects.create(
                slug=_unique_slug(self.slugs, name, "topic"), **fields
            )
            self._remember(topic)
            self.by_name[key] = topic.pk
        return self.by_name[key]


def tags_to_topics(apps, schema_editor):
    Page = apps.get_model("participation", "PlannedServicePage")
    Tagged = apps.get_model("participation", "PlannedServiceTag")
    Tag = apps.get_model("taggit", "Tag")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    topics = _Topics(apps)
    languages = dict(Page.objects.values_list("pk", "locale__language_code"))
    through = Page.core_topics.through
    links = set()
    for page_id, tag_name in Tagged.objects.values_list(
        "content_object_id", "tag__name"
    ).order_by("pk"):
        language = (languages.get(page_id) or "fi")[:2]
        links.add((page_id, topics.topic_id(tag_name, language)))
    through.objects.bulk_create(
        [through(plannedservicepage_id=p, topic_id=t) for p, t in sorted(links)]
    )

    page_type = ContentType.objects.filter(
        app_label="participation", model="plannedservicepage"
    ).first()
    if page_type is None:
        return
    tag_names = dict(Tag.objects.values_list("pk", "name"))
    for revision in Revision.objects.filter(content_type=page_type).iterator():
        content = revision.content or {}
        if "tagged_items" not in content and "topics" not in content:
            continue
        language = (languages.get(int(revision.object_id)) or "fi")[:2]
        ids = []
        for item in content.pop("tagged_items", None) or []:
            name = tag_names.get(item.get("tag"))
            if name is None:
                continue  # the tag was deleted since: nothing to keep
            topic_id = topics.topic_id(name, language)
            if topic_id not in ids:
                ids.append(topic_id)
        content["topics"] = ids
        revision.content = content
        revision.save(update_fields=["content"])


def topics_to_tags(apps, schema_editor):
    """Backwards: each topic's Finnish name becomes a tag again."""
    Page = apps.get_model("participation", "PlannedServicePage")
    Tagged = apps.get_model("participation", "PlannedServiceTag")
    Tag = apps.get_model("taggit", "Tag")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    Topic = apps.get_model("core", "Topic")
    names = dict(Topic.objects.values_list("pk", "name_fi"))
    tags: dict[int, int] = {}

    def tag_id(topic_id: int) -> int:
        if topic_id not in tags:
            name = names[topic_id]
            tag = Tag.objects.filter(name=name).first() or Tag.objects.create(
                name=name, slug=_unique_slug(set(), name, f"tag-{topic_id}")
            )
            tags[topic_id] = tag.pk
        return tags[topic_id]

    through = Page.core_topics.through
    for page_id, topic_id in through.objects.values_list(
        "plannedservicepage_id", "topic_id"
    ):
        Tagged.objects.get_or_create(content_object_id=page_id, tag_id=tag_id(topic_id))
    page_type = ContentType.objects.filter(
        app_label="participation", model="plannedservicepage"
    ).first()
    if page_type is None:
        return
    for revision in Revision.objects.filter(content_type=page_type).iterator():
        content = revision.content or {}
        if "topics" not in content:
            continue
        content["tagged_items"] = [
            {"pk": None, "tag": tag_id(t), "content_object": int(revision.object_id)}
            for t in content.pop("topics") or []
            if t in names
        ]
        revision.content = content
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_places_topics_population"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("participation", "0004_district_city_no_reverse"),
    ]
    # Residents' free-text home districts (accounts.0002) are matched against the
    # districts copied here, so they must exist first.
    run_before = [("accounts", "0002_background_reference_data")]

    operations = [
        migrations.AddField(
            model_name="plannedservicepage",
            name="core_topics",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                related_name="planned_services",
                to="core.topic",
                verbose_name="topics",
            ),
        ),
        migrations.RunPython(districts_to_core, migrations.RunPython.noop),
        migrations.RunPython(tags_to_topics, topics_to_tags),
    ]
