"""Each report is linked from the page it reports on and from the city's answer."""

import pytest
from django.core import mail

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from discussions import services as discussion_services
from participation import services as participation_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_service_page_links_to_its_report(client, service):
    html = client.get("/en" + service.url).content.decode()
    assert f'href="/en/reports/services/{service.pk}/"' in html


def test_the_answer_email_links_to_the_report_in_the_readers_language(
    service, city, django_capture_on_commit_callbacks
):
    editor = UserFactory()
    role_grant(user=editor, city=city, role=Role.EDITOR)
    reader = UserFactory(preferred_language="sv")
    threads = participation_services.service_discussions_sync(page=service)
    discussion_services.discussion_support(
        discussion=threads[service.discussion_key],
        participant=Actor(user=reader),
        value=1,
    )
    draft = service.get_latest_revision_as_object()
    draft.answer = "<p>Aukioloaikoja pidennettiin.</p>"
    draft.save_revision(user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        participation_services.service_answer_publish(page=service, user=editor)
    (message,) = mail.outbox
    assert f"/sv/reports/services/{service.pk}/" in message.body


def test_published_workshop_results_link_to_the_report(client, closed_workshop):
    html = client.get(f"/en/workshops/{closed_workshop.pk}/results/").content.decode()
    assert f'href="/en/reports/workshops/{closed_workshop.pk}/"' in html


def test_the_dream_list_filtered_by_city_and_topic_links_to_the_report(
    client, city, topic, dreams
):
    html = client.get(
        f"/en/dreams/?city={city.slug}&topic={topic.slug}"
    ).content.decode()
    assert f'href="/en/reports/dreams/{city.slug}/{topic.slug}/"' in html
    unfiltered = client.get("/en/dreams/").content.decode()
    assert "/reports/dreams/" not in unfiltered
