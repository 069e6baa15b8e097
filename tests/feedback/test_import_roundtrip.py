"""Another Palvelupaja as the source: this platform's own GeoReport v2 API
(`/api/georeport/v2/`, paging by `Link`) read by the importer."""

import pytest

from feedback.models import FeedbackItem, Status, Visibility
from feedback.services.imports import source_import, source_register
from tests.factories import CityFactory
from tests.feedback.factories import (
    FeedbackItemFactory,
    FeedbackServiceFactory,
    FeedbackStatusChangeFactory,
)

pytest.importorskip("feedback.api.views")  # the API is its own part of #16


@pytest.mark.django_db(transaction=True)
def test_items_from_our_own_api_are_imported_once(live_server, settings):
    settings.FEEDBACK_IMPORT_READ_TIMEOUT = 5
    theirs = FeedbackServiceFactory(service_code="their-library")
    published = FeedbackItemFactory.create_batch(
        3, service=theirs, lat=60.17, long=24.94
    )
    FeedbackStatusChangeFactory(item=published[0], status=Status.ALLOCATED)
    FeedbackItemFactory(service=theirs, visibility=Visibility.PRIVATE)
    city = CityFactory(slug="turku")
    ours = FeedbackServiceFactory(city=city, service_code="tku-library")
    source = source_register(
        base_url=f"{live_server.url}/api/georeport/v2/",
        city=city,
        name="Helsingin Palvelupaja",
        service_map={"their-library": "tku-library"},
    )

    report = source_import(source=source)

    assert report.ok and report.created == 3, report.summary()
    copies = FeedbackItem.objects.filter(source_system="Helsingin Palvelupaja")
    assert {c.external_id for c in copies} == {str(i.pk) for i in published}
    assert {c.service for c in copies} == {ours}
    assert {c.public_title for c in copies} == {i.public_title for i in published}
    assert source_import(source=source).created == 0
