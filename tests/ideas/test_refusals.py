"""Refused actions answer with the reason (403, 400, 409), and the dream page only
reads: a GET writes no row."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from core.errors import Conflict
from discussions.models import Discussion
from ideas.models import Dream, DreamStatus, DreamSupport
from ideas.services import (
    city_dream_discussions_sync,
    dream_create,
    dream_discussion,
    dream_status_change,
    dream_support,
)
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory, allow_anonymous

pytestmark = pytest.mark.django_db

TRIAGE = "/admin/dreams/"


def _fi(text: str) -> str:
    """The message as a Finnish page shows it (escaped like the template does)."""
    with translation.override("fi"):
        return escape(translation.gettext(text))


def _dream_threads() -> int:
    return Discussion.objects.filter(target_type="ideas.dream").count()


# --- No writes on GET ------------------------------------------------------------


def test_dream_page_get_creates_no_thread(
    client, city, resident, django_assert_max_num_queries
):
    dream = DreamFactory(city=city, discussion=False)
    before = _dream_threads()
    with django_assert_max_num_queries(14):
        response = client.get(dream.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert dream.description.split(":")[0] in body
    # No thread: no comment form pointing nowhere.
    assert "/comments/" not in body
    client.force_login(resident)
    assert client.get(dream.get_absolute_url()).status_code == 200
    assert _dream_threads() == before == 0


def test_dream_page_get_reads_the_existing_thread(client, city, resident):
    dream = DreamFactory(city=city)
    discussion = Discussion.objects.get(target_key=str(dream.pk))
    stamp = discussion.updated_at
    client.force_login(resident)
    body = client.get(dream.get_absolute_url()).content.decode()
    assert reverse("discussions:comment_create", args=[discussion.pk]) in body
    assert _dream_threads() == 1
    discussion.refresh_from_db()
    assert discussion.updated_at == stamp


def test_telling_a_dream_makes_its_thread(city, resident):
    dream = dream_create(
        title="Iltakirjasto nuorille",
        description="Kirjasto, joka on auki myöhään illalla.",
        target_group="young_people",
        city=city,
        author=resident,
    )
    discussion = Discussion.objects.get(target_key=str(dream.pk))
    assert (discussion.city, discussion.url) == (city, dream.get_absolute_url())
    assert not discussion.allow_anonymous


def test_migration_gives_older_dreams_their_thread(city, other_city):
    allow_anonymous(city)
    older = DreamFactory(city=city, discussion=False)
    everywhere = DreamFactory(city=None, discussion=False)
    has_one = DreamFactory(city=other_city)
    migration = importlib.import_module("ideas.migrations.0004_dream_discussions")
    migration.create_missing(apps, None)
    migration.create_missing(apps, None)  # again: nothing twice
    threads = {d.target_key: d for d in Discussion.objects.all()}
    assert set(threads) == {str(older.pk), str(everywhere.pk), str(has_one.pk)}
    assert threads[str(older.pk)].allow_anonymous
    assert threads[str(older.pk)].url == older.get_absolute_url()
    assert not threads[str(everywhere.pk)].allow_anonymous


def test_city_settings_change_reaches_the_threads(city, other_city):
    dream, elsewhere = DreamFactory(city=city), DreamFactory(city=other_city)
    allow_anonymous(city)
    assert city_dream_discussions_sync(city=city) == 1
    assert dream_discussion(dream=dream).allow_anonymous
    assert not Discussion.objects.get(target_key=str(elsewhere.pk)).allow_anonymous


# --- Refusals through the views --------------------------------------------------


def test_anonymous_support_refused_with_403_and_the_reason(client, city):
    dream = DreamFactory(city=city)
    response = client.post(reverse("ideas:dream_support", args=[dream.pk]))
    assert response.status_code == 403
    assert _fi("Please log in to support dreams.") in response.content.decode()
    assert not DreamSupport.objects.exists()


def test_own_dream_support_refused_with_400(client, city, resident):
    dream = DreamFactory(city=city, author=resident)
    client.force_login(resident)
    response = client.post(reverse("ideas:dream_support", args=[dream.pk]))
    assert response.status_code == 400
    assert _fi("You cannot support your own dream.") in response.content.decode()
    assert not DreamSupport.objects.exists()


def test_closed_dream_support_refused_with_409(client, city, resident):
    dream = DreamFactory(city=city, status=DreamStatus.NOT_PURSUED)
    client.force_login(resident)
    response = client.post(reverse("ideas:dream_support", args=[dream.pk]))
    assert response.status_code == 409
    assert _fi("This dream takes no more supports.") in response.content.decode()
    dream.refresh_from_db()
    assert dream.support_count == 0


def test_refused_page_links_back_to_the_dream_not_the_action(client, city):
    dream = DreamFactory(city=city)
    body = client.post(reverse("ideas:dream_support", args=[dream.pk])).content
    login = reverse("accounts:login")
    page = dream.get_absolute_url()
    # The support section's and the comment thread's log-in links.
    assert body.count(f'{login}?next={page}"'.encode()) == 2


def test_support_service_rechecks_the_fresh_row(city, resident, facilitator):
    dream = DreamFactory(city=city)
    stale = Dream.objects.get(pk=dream.pk)
    dream_status_change(
        dream=dream, to_status=DreamStatus.NOT_PURSUED, by=facilitator, reason="Ei."
    )
    with pytest.raises(Conflict) as error:
        dream_support(dream=stale, participant=Actor(user=resident))
    assert error.value.code == "closed"
    assert not DreamSupport.objects.exists()


def test_triage_page_refused_with_403_and_the_reason(client, city):
    # A moderator reaches the admin but follows no dreams through.
    moderator = UserFactory(is_staff=True)
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    client.force_login(moderator)
    response = client.get(TRIAGE)
    assert response.status_code == 403
    reason = "Only the city's facilitators and editors can do that."
    assert _fi(reason) in response.content.decode()


def test_other_citys_facilitator_refused_in_triage(
    client, city, other_city_facilitator
):
    dream = DreamFactory(city=city)
    client.force_login(other_city_facilitator)
    response = client.post(
        TRIAGE,
        {"action": "status", "dreams": [dream.pk], "to_status": "under_review"},
        follow=True,
    )
    assert response.status_code == 200
    reason = "Only the city's facilitators and editors can do that."
    assert _fi(reason) in response.content.decode()
    dream.refresh_from_db()
    assert dream.status == DreamStatus.NEW


def test_too_many_dreams_answer_429_on_the_form(client, city, resident, monkeypatch):
    monkeypatch.setattr("ideas.services.dreams.DREAMS_PER_PERSON_PER_HOUR", 0)
    client.force_login(resident)
    response = client.post(
        "/dreams/new/",
        {
            "title": "Iltakirjasto nuorille",
            "description": "Kirjasto, joka on auki myöhään illalla nuorille.",
            "target_group": "young_people",
            "city": city.slug,
            "language": "fi",
            "confirmed": "1",
        },
    )
    assert response.status_code == 429
    reason = "You have done that many times in a short while. Try again later."
    assert _fi(reason) in response.content.decode()
    assert not Dream.objects.exists()
