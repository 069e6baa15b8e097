"""Factories for planned services and comments. Texts carry markup on purpose."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Locale

from participation.models import Lifecycle, PlannedServicePage, PlannedServiceSection

SCRIPT = '<script>alert("x")</script>'
# The titles of one service's language versions (the `copies` fixture).
TITLES = {
    "fi": "Kirjaston aukioloajat",
    "sv": "Bibliotekets öppettider",
    "en": "Library opening hours",
}


def make_service(city_page, *, title="Uusi kirjastopalvelu", publish=True, **fields):
    """A planned service open for comments with two sections, under `city_page`."""
    defaults = {
        "summary": f"Kirjasto avautuu {SCRIPT}",
        "status": Lifecycle.OPEN,
        "comments_open_at": timezone.now() - timedelta(days=1),
        "comments_close_at": timezone.now() + timedelta(days=30),
    }
    defaults.update(fields)
    page = PlannedServicePage(title=title, **defaults)
    page.sections = [
        PlannedServiceSection(
            title="Mikä muuttuu", body="<p>Paljon</p>", question="Mitä mieltä?"
        ),
        PlannedServiceSection(title="Aukioloajat", body="<p>Arkisin</p>"),
    ]
    city_page.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return PlannedServicePage.objects.get(pk=page.pk)


def translate(page, language, **fields):
    """A published `language` version of `page` (simple_translation's copy)."""
    locale = Locale.objects.get(language_code=language)
    copy = page.copy_for_translation(locale)
    copy.title = TITLES[language]
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return PlannedServicePage.objects.get(pk=copy.pk)
