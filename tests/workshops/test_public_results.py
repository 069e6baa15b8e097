"""`/workshops/public/`: every workshop with published results, by city, paged by
keyset with a fixed number of queries; linked from the home and city pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CityFactory
from workshops import services
from workshops.models import Card, Method, Workshop

pytestmark = pytest.mark.django_db

URL = reverse("workshops:public")


def _published(facilitator, city, title, *, days_ago=0, publish=True, close=True):
    workshop = services.workshop_create(
        user=facilitator,
        city=city,
        title=title,
        starts_at=timezone.now() - timedelta(days=30),
        method=Method.BRAINSTORMING,
    )
    column = workshop.boards.get().columns.first()
    Card.objects.create(board=column.board, column=column, text="näkyvä")
    Card.objects.create(board=column.board, column=column, text="piilo", hidden=True)
    if close:
        services.workshop_close(user=facilitator, workshop=workshop, summary="Kooste")
    if publish:
        services.workshop_publish(user=facilitator, workshop=workshop, published=True)
        Workshop.objects.filter(pk=workshop.pk).update(
            results_published_at=timezone.now() - timedelta(days=days_ago)
        )
    return workshop


@pytest.fixture
def other_city_facilitator(facilitator):
    from accounts.models import Role
    from accounts.services import role_grant

    other = CityFactory(slug="espoo", name_fi="Espoo")
    role_grant(user=facilitator, city=other, role=Role.FACILITATOR)
    return other


def test_lists_only_published_results_newest_first(client, facilitator, city):
    _published(facilitator, city, "Vanha <b>jami</b>", days_ago=5)
    _published(facilitator, city, "Uusi jami", days_ago=1)
    _published(facilitator, city, "Julkaisematon", publish=False)
    _published(facilitator, city, "Kesken", publish=False, close=False)
    html = client.get(URL).content.decode()
    assert html.index("Uusi jami") < html.index("Vanha &lt;b&gt;jami&lt;/b&gt;")
    assert "Julkaisematon" not in html and "Kesken" not in html
    assert "1 card" in html or "1 kortti" in html  # the hidden card is not counted


def test_filters_by_city_and_an_unknown_city_shows_all(
    client, facilitator, city, other_city_facilitator
):
    _published(facilitator, city, "Helsingin jami")
    _published(facilitator, other_city_facilitator, "Espoon jami")
    html = client.get(URL, {"city": "espoo"}).content.decode()
    assert "Espoon jami" in html and "Helsingin jami" not in html
    for bad in ("nowhere", "<script>", "x" * 5000):
        response = client.get(URL, {"city": bad, "cursor": bad})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Espoon jami" in html and "Helsingin jami" in html


def test_keyset_pages_with_a_fixed_number_of_queries(
    client, facilitator, city, django_assert_max_num_queries, monkeypatch
):
    from workshops import results

    monkeypatch.setattr(results, "PUBLISHED_PAGE_SIZE", 2)
    for n in range(5):
        _published(facilitator, city, f"Jami {n}", days_ago=n)
    seen = []
    query = {}
    for _ in range(3):
        # The cities for the filter, the page of workshops, and the site
        # header's three page lookups (home and language links): on every page.
        with django_assert_max_num_queries(5):
            response = client.get(URL, query)
        page = response.context["workshops"]
        seen += [w.title for w in page]
        if response.context["next_query"] is None:
            break
        query = dict(
            pair.split("=") for pair in response.context["next_query"].split("&")
        )
    assert seen == [f"Jami {n}" for n in range(5)]


def test_home_and_city_pages_link_to_the_results(
    client, home_page, city_page, facilitator, city
):
    workshop = _published(facilitator, city, "Kirjastojami")
    results_url = reverse("workshops:results", args=[workshop.pk])
    home = client.get("/").content.decode()
    assert f'href="{results_url}"' in home
    assert f'href="{URL}"' in home
    city_html = client.get(city_page.url).content.decode()
    assert f'href="{results_url}"' in city_html
    assert f'href="{URL}?city={city.slug}"' in city_html
    assert client.get(results_url).status_code == 200  # anyone may read them
