"""The move to core's translated districts and topics keeps what was chosen.

Migrates the test database back to before the move, fills it the way the demo
did then (three untranslated districts per city, planned services in Finnish and
Swedish tagged with free-text topics, their stored revisions), written with the
historical models since today's code no longer has them, migrates forward and
checks that every district kept its id and name, that each page's tags became
the right topics and that the old revisions still load with them.
"""

import uuid

import pytest
from django.apps import apps as live_apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import District, Topic
from ideas.models import Dream
from participation.models import PlannedServicePage
from tests.migrating import latest, migrate, once_on_postgresql

BEFORE = [
    ("participation", "0004_district_city_no_reverse"),
    ("ideas", "0004_dream_discussions"),
]


class OldDemo:
    """The demo's districts and planned services as the old schema stored them."""

    def __init__(self, apps):
        self.apps = apps
        self.City = apps.get_model("core", "City")
        self.District = apps.get_model("participation", "District")
        self.Page = apps.get_model("participation", "PlannedServicePage")
        self.Tagged = apps.get_model("participation", "PlannedServiceTag")
        self.Tag = apps.get_model("taggit", "Tag")
        self.Revision = apps.get_model("wagtailcore", "Revision")
        ContentTypes = apps.get_model("contenttypes", "ContentType")
        self.page_type, _ = ContentTypes.objects.get_or_create(
            app_label="participation", model="plannedservicepage"
        )
        self.base_type, _ = ContentTypes.objects.get_or_create(
            app_label="wagtailcore", model="page"
        )
        self.Locale = apps.get_model("wagtailcore", "Locale")
        self.pages = 0

    def tag(self, name):
        return self.Tag.objects.get_or_create(name=name, slug=name.lower())[0]

    def page(self, city, title, *, language, tags, districts, revision_tags=None):
        self.pages += 1
        page = self.Page.objects.create(
            title=title,
            slug=f"palvelu-{self.pages}",
            path=f"0001Z{self.pages:03d}",
            depth=2,
            content_type=self.page_type,
            locale=self.Locale.objects.get_or_create(language_code=language)[0],
            translation_key=uuid.uuid4(),
            live=True,
            summary="Tiivistelmä",
            city=city,
        )
        # Parental m2m fields write only when a ClusterableModel is saved, which
        # a historical model is not: write the links themselves.
        through = self.Page._meta.get_field("districts").remote_field.through
        through.objects.bulk_create(
            through(plannedservicepage_id=page.pk, district_id=d.pk) for d in districts
        )
        tag_rows = [self.tag(name) for name in tags]
        for tag in tag_rows:
            self.Tagged.objects.create(content_object=page, tag=tag)
        # An older revision, tagged differently from the page's current state.
        old_tags = [self.tag(n) for n in (revision_tags or tags)]
        self.Revision.objects.create(
            content_type=self.page_type,
            base_content_type=self.base_type,
            object_id=str(page.pk),
            object_str=title,
            created_at=timezone.now(),
            content={
                "pk": page.pk,
                "title": title,
                "slug": page.slug,
                "summary": "Tiivistelmä",
                "districts": [d.pk for d in districts],
                "tagged_items": [
                    {"pk": None, "tag": t.pk, "content_object": page.pk}
                    for t in old_tags
                ],
            },
        )
        return page


@once_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_districts_and_tags_survive_the_move_to_core():
    try:
        executor = migrate(BEFORE)
        old = OldDemo(executor.loader.project_state(BEFORE).apps)
        helsinki = old.City.objects.create(slug="helsinki", name_fi="Helsinki")
        turku = old.City.objects.create(slug="turku", name_fi="Turku")
        districts = {
            (city.slug, name): old.District.objects.create(city=city, name=name)
            for city in (helsinki, turku)
            for name in ("Keskusta", "Itä", "Länsi", "Kallio")
            if (city.slug, name) != ("turku", "Kallio")
        }
        # Two names that slugify alike: each gets its own slug.
        ita_ascii = old.District.objects.create(city=helsinki, name="Ita")
        # A dreams' topic: it keeps its id, and tags match any of its names,
        # in any case.
        culture = old.apps.get_model("ideas", "Topic").objects.create(
            pk=7,
            slug="culture",
            name_fi="Kulttuuri",
            name_sv="Kultur",
            name_en="Culture",
        )
        OldDream = old.apps.get_model("ideas", "Dream")

        def dream(city, district, topics=()):
            row = OldDream.objects.create(
                title="Unelma",
                description="Kuvaus unelmasta",
                target_group="everyone",
                city=city,
                district=district,
                anonymous_key=uuid.uuid4(),
                nickname="Demo",
            )
            row.topics.set(topics)
            return row

        in_kallio = dream(helsinki, "  kallio ", [culture])
        new_place = dream(turku, "Hirvensalo")
        ambiguous = dream(None, "Länsi")
        nowhere = dream(helsinki, "")
        library = old.page(
            helsinki,
            "Kirjaston aukioloajat",
            language="fi",
            tags=["kirjastot", "KULTTUURI"],
            districts=[districts["helsinki", "Keskusta"]],
            revision_tags=["kirjastot"],
        )
        library_sv = old.page(
            helsinki,
            "Bibliotekets öppettider",
            language="sv",
            tags=["Bibliotek", "kultur"],
            districts=[districts["helsinki", "Keskusta"]],
        )
        youth = old.page(
            turku,
            "Nuorisotalo",
            language="fi",
            tags=["nuoret"],
            districts=[districts["turku", "Itä"], districts["turku", "Länsi"]],
        )

        migrate(latest())

        for (city_slug, name), before in districts.items():
            district = District.objects.get(pk=before.pk)
            assert (district.city.slug, district.name_fi) == (city_slug, name)
        assert District.objects.get(pk=districts["helsinki", "Itä"].pk).slug == "ita"
        assert District.objects.get(pk=ita_ascii.pk).slug == "ita-2"
        # New districts get fresh ids after the copied ones (sequences moved on).
        fresh = District.objects.create(
            city_id=helsinki.pk, slug="uusi", name_fi="Uusi"
        )
        assert fresh.pk > ita_ascii.pk

        # Residents' districts: matched in their city, or kept as a new one.
        def district_of(row):
            return Dream.objects.select_related("district").get(pk=row.pk).district

        assert district_of(in_kallio).pk == districts["helsinki", "Kallio"].pk
        hirvensalo = district_of(new_place)
        assert (hirvensalo.city.slug, hirvensalo.name_fi) == ("turku", "Hirvensalo")
        assert district_of(ambiguous) is None and district_of(nowhere) is None
        assert [t.pk for t in Dream.objects.get(pk=in_kallio.pk).topics.all()] == [7]
        assert Topic.objects.get(pk=7).name_sv == "Kultur"

        def topics_of(page):
            page = PlannedServicePage.objects.get(pk=page.pk)
            return {(t.slug, t.name_fi, t.name_sv) for t in page.topics.all()}

        kirjastot = Topic.objects.get(name_fi="kirjastot")
        assert topics_of(library) == {
            ("kirjastot", "kirjastot", ""),
            ("culture", "Kulttuuri", "Kultur"),
        }
        # A Swedish page's unmatched tag is named in Swedish (and, as Finnish is
        # required, in Finnish too until an editor translates it).
        assert topics_of(library_sv) == {
            ("bibliotek", "Bibliotek", "Bibliotek"),
            ("culture", "Kulttuuri", "Kultur"),
        }
        assert topics_of(youth) == {("nuoret", "nuoret", "")}
        assert set(
            PlannedServicePage.objects.get(pk=youth.pk).districts.values_list(
                "pk", flat=True
            )
        ) == {districts["turku", "Itä"].pk, districts["turku", "Länsi"].pk}

        # The old revisions load in the editor with topics instead of tags.
        revision = PlannedServicePage.objects.get(pk=library.pk).revisions.get()
        assert "tagged_items" not in revision.content
        assert revision.content["topics"] == [kirjastot.pk]
        as_object = revision.as_object()
        assert [t.pk for t in as_object.topics.all()] == [kirjastot.pk]
        assert [d.pk for d in as_object.districts.all()] == [
            districts["helsinki", "Keskusta"].pk
        ]
        assert (
            culture.pk
            in PlannedServicePage.objects.get(pk=library_sv.pk)
            .revisions.get()
            .content["topics"]
        )
    finally:
        migrate(latest())
        # Fill the content type cache again while the rows exist (see
        # tests/discussions/test_migrations.py for why).
        ContentType.objects.get_for_models(*live_apps.get_models())
