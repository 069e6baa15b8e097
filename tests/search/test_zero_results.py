"""Queries that found nothing, for editors: normalised to lemmas, counted per
day, city and language, nothing about who asked, kept 90 days."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from search.models import ZeroResultQuery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/search/"


def test_a_query_that_found_nothing_is_counted_as_its_lemmas(client, city):
    client.get(URL, {"q": "Kirjastoon aukioloajat?"}, REMOTE_ADDR="10.1.2.3")
    client.get(URL, {"q": "kirjasto  AUKIOLOAJAT"})
    client.get(URL, {"q": "kirjasto", "city": "helsinki"})
    rows = list(ZeroResultQuery.objects.order_by("city_id", "query"))
    assert [(r.query, r.count, r.city_id, r.language) for r in rows] == [
        ("kirjasto aukioloaika", 2, None, "fi"),
    ]
    # Filtered searches are not counted (the words may exist elsewhere); nor is
    # anything about the person: no address, account or session column exists.
    fields = {field.name for field in ZeroResultQuery._meta.get_fields()}
    assert fields == {"id", "day", "city", "language", "query", "count"}


def test_queries_that_found_something_or_nothing_to_search_are_not_counted(client):
    client.get(URL, {"q": ""})
    client.get(URL, {"q": "ja tai"})  # only stop words
    assert not ZeroResultQuery.objects.exists()


def test_editors_see_the_most_frequent_first(client, editor):
    today = timezone.localdate()
    ZeroResultQuery.objects.create(day=today, language="fi", query="uimaranta", count=2)
    ZeroResultQuery.objects.create(day=today, language="fi", query="sauna", count=5)
    ZeroResultQuery.objects.create(
        day=today - timedelta(days=1), language="fi", query="uimaranta", count=4
    )
    ZeroResultQuery.objects.create(
        day=today - timedelta(days=45), language="fi", query="vanha", count=50
    )
    client.force_login(editor)
    response = client.get("/en/search/zero-results/")
    assert response.status_code == 200
    rows = [(row["query"], row["times"]) for row in response.context["rows"]]
    assert rows == [("uimaranta", 6), ("sauna", 5)]


def test_only_editors_see_the_list(client):
    assert client.get("/search/zero-results/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/search/zero-results/").status_code == 403


def test_counts_older_than_90_days_are_deleted(db):
    today = timezone.localdate()
    ZeroResultQuery.objects.create(day=today - timedelta(days=91), query="vanha")
    ZeroResultQuery.objects.create(day=today - timedelta(days=89), query="tuore")
    call_command("purge_zero_result_queries", verbosity=0)
    assert list(ZeroResultQuery.objects.values_list("query", flat=True)) == ["tuore"]
