"""The language of a dream: the page's when told (the form's choice wins), marked
up with lang, corrected by staff on the triage page (nobody else), guessed for the
dreams from before, and analysed into their search terms by the migration."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.errors import Forbidden
from ideas.models import Dream
from ideas.services import dream_create, dream_language_set
from tests.ideas.factories import DreamFactory

pytestmark = pytest.mark.django_db

TRIAGE = "/admin/dreams/"


def _form(city, **overrides):
    data = {
        "title": "Nattbuss till skärgården",
        "description": "En buss som går hela natten på helgerna.",
        "target_group": "young_people",
        "city": city.slug,
        "language": "sv",
        "website": "",
        "confirmed": "1",
    }
    data.update(overrides)
    return data


def test_the_swedish_page_offers_swedish_and_the_dream_is_swedish(
    client, city, resident
):
    client.force_login(resident)
    with translation.override("sv"):
        url = reverse("ideas:dream_new")
    assert url.startswith("/sv/")
    page = client.get(url).content.decode()
    assert '<option value="sv" selected>' in page
    response = client.post(url, _form(city))
    assert response.status_code == 302
    dream = Dream.objects.get()
    assert dream.language == "sv"
    assert " nattbuss " in dream.search_terms
    detail = client.get(dream.get_absolute_url()).content.decode()
    assert f'<h1 id="dream-title" lang="sv">{dream.title}</h1>' in detail
    assert '<div class="dream__body" lang="sv">' in detail


def test_the_service_takes_the_page_language_unless_told(city, resident):
    with translation.override("en"):
        dream = dream_create(
            title="Library on Sundays",
            description="Open on Sunday afternoons too.",
            target_group="everyone",
            city=city,
            author=resident,
        )
    assert dream.language == "en"
    assert " library " in dream.search_terms
    with pytest.raises(ValidationError) as error:
        dream_create(
            title="Kirjasto sunnuntaisin",
            description="Auki myös sunnuntaisin.",
            target_group="everyone",
            city=city,
            author=resident,
            language="de",
        )
    assert "language" in error.value.message_dict


def test_staff_correct_the_language_from_the_triage_page(client, city, facilitator):
    dream = DreamFactory(city=city, title="Nattbuss till skärgården", language="fi")
    client.force_login(facilitator)
    page = client.get(TRIAGE).content.decode()
    assert f'lang="fi">{dream.title}</a>' in page
    response = client.post(
        TRIAGE, {"action": "language", "dreams": [dream.pk], "language": "sv"}
    )
    assert response.status_code == 302
    dream.refresh_from_db()
    assert dream.language == "sv"
    assert " nattbuss " in dream.search_terms
    # A language we do not have is refused with a message, not an error page.
    response = client.post(
        TRIAGE,
        {"action": "language", "dreams": [dream.pk], "language": "xx"},
        follow=True,
    )
    assert response.status_code == 200
    dream.refresh_from_db()
    assert dream.language == "sv"


def test_nobody_else_corrects_it(client, city, resident, other_city_facilitator):
    dream = DreamFactory(city=city, author=resident, language="fi")
    for user in (resident, other_city_facilitator):
        with pytest.raises(Forbidden):
            dream_language_set(dream=dream, language="sv", by=user)
    client.force_login(other_city_facilitator)
    client.post(TRIAGE, {"action": "language", "dreams": [dream.pk], "language": "sv"})
    dream.refresh_from_db()
    assert dream.language == "fi"


def test_the_migration_guesses_languages_and_fills_the_terms(city):
    swedish = DreamFactory(
        city=city,
        title="Nattbuss till skärgården",
        description="En buss som går hela natten på helgerna för alla som bor där.",
        what_would_change="",
        search_terms="",
    )
    english = DreamFactory(
        city=city,
        title="Library open on Sundays",
        description="The library would be open on Sunday afternoons for families.",
        what_would_change="",
        search_terms="",
    )
    finnish = DreamFactory(
        city=city,
        title="Yöbussi Kallioon",
        description="Bussi kulkisi koko yön viikonloppuisin kaikille.",
        what_would_change="",
        search_terms="",
    )
    assert Dream.objects.filter(search_terms="").count() == 3
    migration = importlib.import_module(
        "ideas.migrations.0008_dream_language_search"
    ).Migration
    guess, fill = migration.operations[3], migration.operations[4]
    guess.code(apps, None)
    fill.code(apps, None)
    found = {d.pk: d for d in Dream.objects.all()}
    assert found[swedish.pk].language == "sv"
    assert found[english.pk].language == "en"
    assert found[finnish.pk].language == "fi"
    assert " nattbuss " in found[swedish.pk].search_terms
    assert " library " in found[english.pk].search_terms
    assert " yöbussi " in found[finnish.pk].search_terms
