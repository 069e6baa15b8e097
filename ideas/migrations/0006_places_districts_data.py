"""Step 2 of 3: each dream's free-text district becomes a `core.District` of its
city (see 0005); after participation has carried its districts over, so a
resident's "Kallio" is the same district a planned service points to."""

from django.db import migrations
from django.db.models import Q
from django.utils.text import slugify


def _unique_slug(taken: set[str], text: str, fallback: str) -> str:
    base = (slugify(text) or fallback)[:50]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def districts_to_core(apps, schema_editor):
    Dream = apps.get_model("ideas", "Dream")
    District = apps.get_model("core", "District")
    slugs: dict[int, set[str]] = {}
    for city_id, slug in District.objects.values_list("city_id", "slug"):
        slugs.setdefault(city_id, set()).add(slug)
    for dream in Dream.objects.exclude(district="").order_by("pk"):
        text = " ".join(dream.district.split())
        if not text:
            continue
        named = (
            Q(name_fi__iexact=text) | Q(name_sv__iexact=text) | Q(name_en__iexact=text)
        )
        if dream.city_id is None:
            matches = list(District.objects.filter(named)[:2])
            district = matches[0] if len(matches) == 1 else None
        else:
            district = District.objects.filter(named, city_id=dream.city_id).first()
            if district is None:
                district = District.objects.create(
                    city_id=dream.city_id,
                    slug=_unique_slug(
                        slugs.setdefault(dream.city_id, set()), text, "district"
                    ),
                    name_fi=text[:100],
                )
        if district is not None:
            Dream.objects.filter(pk=dream.pk).update(place=district)


def districts_back(apps, schema_editor):
    Dream = apps.get_model("ideas", "Dream")
    for dream in Dream.objects.filter(place__isnull=False).select_related("place"):
        Dream.objects.filter(pk=dream.pk).update(district=dream.place.name_fi)



class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0005_places_topics_data"),
        ("participation", "0005_places_topics_data"),
    ]

    operations = [
        migrations.RunPython(districts_to_core, districts_back),
    ]
