"""The advice desk's demo: advisors with their languages, topics, canned
answers, hours around the clock, chats whose statistics pass the suppression;
loading twice adds nothing. (`tests/cms/test_load_demo.py` loads the whole demo.)"""

from io import StringIO

import pytest
from django.core.cache import cache
from django.utils import timezone

from advice import demo
from advice.hours import desk_is_open
from advice.models import (
    AdviceCitySettings,
    AdviceTopic,
    AdvisorProfile,
    CannedAnswer,
    Chat,
    ChatMessage,
)
from advice.retention import transcript_expired
from opendata.advice_datasets import advice_stats
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(city, other_city):
    cities = {"helsinki": city, "turku": other_city}
    users = {"advisor": UserFactory(), "advisor2": UserFactory()}
    out = StringIO()
    demo.load(cities=cities, city_pages={}, users=users, stdout=out)
    return cities, users, out.getvalue()


def _count() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (AdviceTopic, AdvisorProfile, CannedAnswer, Chat, ChatMessage)
    )


def test_the_advisors_and_their_languages(loaded):
    cities, users, out = loaded
    aino = AdvisorProfile.objects.get(user=users["advisor"])
    tuomas = AdvisorProfile.objects.get(user=users["advisor2"])
    assert set(aino.languages.values_list("language", flat=True)) == {"fi", "en", "ru"}
    assert set(tuomas.languages.values_list("language", flat=True)) == {"fi", "sv"}
    assert "advice: 14 demo chats added" in out


def test_the_desk_answers_at_every_hour_of_the_week(loaded):
    cities, *_ = loaded
    now = timezone.localtime().replace(minute=30)
    for hours in range(0, 7 * 24, 5):
        at = now + timezone.timedelta(hours=hours)
        assert desk_is_open(city=cities["helsinki"], language="ru", at=at)
        assert desk_is_open(city=cities["turku"], language="sv", at=at)


def test_settings_topics_and_canned_answers(loaded):
    cities, *_ = loaded
    assert AdviceTopic.objects.count() == len(demo.TOPICS)
    assert (
        AdviceCitySettings.objects.get(city=cities["turku"]).transcript_retention_days
        == 60
    )
    assert CannedAnswer.objects.filter(city__isnull=True).count() == 4
    assert (
        CannedAnswer.objects.filter(city=cities["helsinki"], language="ru").count() == 0
    )


def test_some_statistics_cells_pass_the_suppression(loaded):
    cache.clear()
    rows = advice_stats()
    passed = [r for r in rows if not r["suppressed"]]
    assert {(r["city"], r["language"], r["topic"]) for r in passed} == {
        ("helsinki", "fi", "residence-permits"),
        ("helsinki", "en", "work"),
    }
    assert all(r["wait_median_s"] and r["rating_average"] for r in passed)
    assert any(r["suppressed"] for r in rows)
    # Recent enough that their transcripts are still kept.
    assert not any(transcript_expired(chat) for chat in Chat.objects.all())


def test_loading_again_adds_nothing(loaded):
    cities, users, _ = loaded
    before = _count()
    out = StringIO()
    demo.load(cities=cities, city_pages={}, users=users, stdout=out)
    assert _count() == before
    assert "advice: 0 demo chats added" in out.getvalue()
