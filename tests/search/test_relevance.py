"""Relevance on a fixed multilingual fixture, through the page a visitor uses:
inflected words find their base forms in Finnish, Swedish and English; private,
hidden and merged things never appear; the page costs a fixed number of queries."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from discussions.models import Comment, CommentStatus
from feedback.models import Visibility
from ideas.models import DreamStatus
from ideas.services import dream_discussion
from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory
from tests.ideas.factories import DreamFactory

pytestmark = pytest.mark.django_db

DREAMS = {
    "library_fi": ("Kirjasto auki iltaisin", "Lainaa kirjoja myöhään.", "fi"),
    "night_bus_fi": ("Yöbussi Kallioon", "Viikonloppuisin koko yön.", "fi"),
    "night_bus_sv": ("Nattbuss till skärgården", "Hela natten på helgerna.", "sv"),
    "library_en": ("Library open on Sundays", "Borrow books at the weekend.", "en"),
    "pool_fi": ("Uimahalli aamuisin", "Avautuisi kuudelta.", "fi"),
    "kallio_sv": ("Bibliotek i Kallio", "Öppet på kvällarna.", "sv"),
}


@pytest.fixture
def fixture(city):
    dreams = {
        key: DreamFactory(
            city=city,
            title=title,
            description=description,
            what_would_change="",
            language=language,
        )
        for key, (title, description, language) in DREAMS.items()
    }
    merged = DreamFactory(
        city=city,
        title="Kirjastoauto kylille",
        description="",
        what_would_change="",
        status=DreamStatus.MERGED,
        merged_into=dreams["library_fi"],
    )
    service = FeedbackServiceFactory(city=city)
    private = FeedbackItemFactory(
        service=service,
        title="Kirjaston salainen ovikoodi",
        public_title="Kirjaston salainen ovikoodi",
        visibility=Visibility.PRIVATE,
    )
    pending = FeedbackItemFactory(
        service=service,
        title="Kirjaston tarkistamaton palaute",
        public_title="Kirjaston tarkistamaton palaute",
        visibility=Visibility.PENDING,
    )
    discussion = dream_discussion(dream=dreams["pool_fi"])
    hidden = Comment.objects.create(
        discussion=discussion,
        text="Piilotettu kirjastokommentti",
        status=CommentStatus.HIDDEN,
        language="fi",
    )
    shown = Comment.objects.create(
        discussion=discussion,
        text="Uimahallin sauna kuntoon",
        status=CommentStatus.VISIBLE,
        language="fi",
    )
    call_command("rebuild_search_index", verbosity=0)
    return {
        **dreams,
        "merged": merged,
        "private": private,
        "pending": pending,
        "hidden": hidden,
        "shown": shown,
    }


def _found(client, query, language="fi", **params):
    prefix = "" if language == "fi" else f"/{language}"
    response = client.get(f"{prefix}{reverse('search:search')}", {"q": query, **params})
    assert response.status_code == 200
    return [item.document for item in response.context["result"].results]


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("kirjastoon", "fi", "library_fi"),
        ("yöbussit", "fi", "night_bus_fi"),
        ("nattbussar", "sv", "night_bus_sv"),
        ("libraries", "en", "library_en"),
        # A Swede on the Finnish site finds the Swedish dream too.
        ("nattbussar", "fi", "night_bus_sv"),
    ],
)
def test_an_inflected_word_finds_its_base_form(
    client, fixture, query, language, expected
):
    found = _found(client, query, language)
    assert ("dream", fixture[expected].pk) in {(d.kind, d.object_id) for d in found}
    assert fixture["pool_fi"].pk not in {d.object_id for d in found}


def test_private_hidden_pending_and_merged_things_never_appear(client, fixture):
    found = _found(client, "kirjasto")
    titles = {document.title for document in found}
    assert "Kirjasto auki iltaisin" in titles
    assert "Kirjaston salainen ovikoodi" not in titles
    assert "Kirjaston tarkistamaton palaute" not in titles
    assert "Kirjastoauto kylille" not in titles
    assert _found(client, "piilotettu") == []
    assert [d.object_id for d in _found(client, "saunaan")] == [fixture["shown"].pk]


def test_the_visitors_language_comes_first(client, fixture):
    finnish = _found(client, "kallio", "fi")
    swedish = _found(client, "kallio", "sv")
    assert {d.object_id for d in finnish} == {
        fixture["night_bus_fi"].pk,
        fixture["kallio_sv"].pk,
    }
    assert finnish[0].language == "fi"
    assert swedish[0].language == "sv"


def test_every_word_must_match(client, fixture):
    assert _found(client, "kirjastoon avaruusraketti") == []
    assert _found(client, "avaruusraketti") == []


def test_the_page_runs_a_fixed_number_of_queries(
    client, fixture, django_assert_num_queries
):
    client.get(reverse("search:search"), {"q": "kirjasto"})  # warm caches
    # Cities, districts, topics (the filter choices), the candidates (their
    # number is the count), the ranked page, and the base layout's three
    # page-tree reads; whatever the number of results, on both databases (a
    # walk that reaches the last document needs no index, core.text.newest).
    expected = 8
    with django_assert_num_queries(expected):
        client.get(reverse("search:search"), {"q": "kirjasto"})
    for number in range(5):
        DreamFactory(title=f"Kirjasto {number}", language="fi")
    call_command("rebuild_search_index", "--incremental", verbosity=0)
    with django_assert_num_queries(expected):
        response = client.get(reverse("search:search"), {"q": "kirjasto"})
    assert len(response.context["result"].results) == 6
