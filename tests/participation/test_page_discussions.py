"""A planned service's discussions follow publishing, never a page view, and the
page stores its city instead of walking the tree to find it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussions.models import Discussion
from participation.models import PlannedServicePage, PlannedServiceSection
from tests.participation.factories import make_service

pytestmark = pytest.mark.django_db


def test_city_is_stored_from_the_parent_city_page(city_page):
    page = make_service(city_page)
    assert page.city_id == city_page.city_id
    with CaptureQueriesContext(connection) as queries:
        assert PlannedServicePage.objects.get(pk=page.pk).city_id == city_page.city_id
    assert len(queries) == 1


def test_moving_to_another_city_moves_the_city(city_page, home_page, other_city):
    from cms.models import CityPage

    other_page = home_page.add_child(
        instance=CityPage(title="Turku", slug="turku", city=other_city)
    )
    page = make_service(city_page)
    page.move(other_page, pos="last-child")
    page = PlannedServicePage.objects.get(pk=page.pk)
    assert page.city_id == other_city.pk
    assert Discussion.objects.get(target_key=page.discussion_key).city_id == (
        other_city.pk
    )


def test_viewing_a_page_writes_nothing(client, city_page):
    """A live page never published through Wagtail (e.g. made by a script) shows
    its content without discussions; the GET creates none."""
    page = make_service(city_page, publish=False)
    assert page.live
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.summary.split(" ")[0] in response.content.decode()
    assert Discussion.objects.count() == 0
    assert 'id="comments"' not in response.content.decode()


def test_publishing_keeps_section_discussions_in_step(city_page):
    page = make_service(city_page)
    draft = page.get_latest_revision_as_object()
    draft.sections.add(PlannedServiceSection(title="Uusi osio"))
    draft.save_revision().publish()
    page = PlannedServicePage.objects.get(pk=page.pk)
    keys = {str(s.key) for s in page.sections.all()} | {page.discussion_key}
    assert len(keys) == 4
    assert set(Discussion.objects.values_list("target_key", flat=True)) == keys
