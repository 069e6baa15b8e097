"""The public reports: only what the public may see, with figures, in 3 languages."""

import csv
import io

import pytest
from django.urls import reverse

from discussions.models import Discussion
from ideas.models import DreamStatusChange
from participation.selectors import PAGE_TARGET
from tests.ideas.factories import DreamFactory

pytestmark = pytest.mark.django_db


def test_a_service_report_shows_positions_and_the_citys_answer(client, service):
    Discussion.objects.filter(
        target_type=PAGE_TARGET, target_key=service.discussion_key
    ).update(support_count=12, oppose_count=3, comment_count=7)
    url = reverse("reports:service", args=[service.pk])
    assert url == f"/reports/services/{service.pk}/"
    response = client.get("/en" + url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kirjasto &lt;script&gt;x&lt;/script&gt;" in html
    assert "The city has not answered yet." in html
    assert "The whole plan: 12 in support, 3 opposed, 7 comments." in html
    assert "<svg" in html
    assert f'href="/en/reports/services/{service.pk}/positions.csv"' in html


def test_a_service_reports_csv_is_its_figures(client, service):
    response = client.get(f"/en/reports/services/{service.pk}/positions.csv")
    assert response.status_code == 200
    assert 'filename="service-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["key", "label", "comments", "support", "oppose"]
    assert [row[1] for row in rows[1:]] == [
        "The whole plan",
        "Mikä muuttuu",
        "Aukioloajat",
    ]
    assert client.get(f"/reports/services/{service.pk}/nope.csv").status_code == 404


def test_the_report_of_an_unpublished_service_is_not_found(client, city_page):
    from tests.participation.factories import make_service

    draft = make_service(city_page, publish=False, live=False)
    assert client.get(f"/reports/services/{draft.pk}/").status_code == 404
    assert client.get(f"/reports/services/{draft.pk}/positions.csv").status_code == 404
    assert client.get("/reports/services/999999/").status_code == 404


def test_a_workshop_report_needs_published_results(client, workshop, facilitator):
    assert client.get(f"/en/reports/workshops/{workshop.pk}/").status_code == 404
    client.force_login(facilitator)  # not even its facilitator sees it before
    assert client.get(f"/en/reports/workshops/{workshop.pk}/").status_code == 404


def test_a_workshop_report_shows_the_public_cards_only(client, closed_workshop):
    response = client.get(f"/sv/reports/workshops/{closed_workshop.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kirjastojami &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Iltakirjasto" in html
    assert "Piilotettu" not in html
    assert 'lang="sv"' in html


def test_a_dream_topic_report_counts_the_citys_dreams(client, city, topic, dreams):
    url = f"/en/reports/dreams/{city.slug}/{topic.slug}/"
    html = client.get(url).content.decode()
    assert "3 dreams, of which 1 realised." in html  # the merged one left out
    for figure in ("Participation by channel", "Participants by age band"):
        assert figure in html
    assert "Avattiin &lt;i&gt;syksyllä&lt;/i&gt;" in html
    rows = list(
        csv.reader(
            io.StringIO(client.get(url + "dreams_by_status.csv").content.decode())
        )
    )
    by_status = {row[0]: row[2:] for row in rows[1:]}
    assert by_status["new"] == ["2", "7"]
    assert by_status["realised"] == ["1", "10"]
    assert "merged" not in by_status


def test_a_dream_report_for_an_unknown_city_or_topic_is_not_found(client, city, topic):
    assert client.get(f"/reports/dreams/nowhere/{topic.slug}/").status_code == 404
    assert client.get(f"/reports/dreams/{city.slug}/nothing/").status_code == 404


@pytest.mark.parametrize("more", [0, 3])
def test_reports_read_a_fixed_number_of_queries(
    client,
    city,
    topic,
    dreams,
    service,
    closed_workshop,
    more,
    django_assert_num_queries,
):
    for _ in range(more):
        extra = DreamFactory(city=city, support_count=1)
        extra.topics.add(topic)
        DreamStatusChange.objects.create(
            dream=extra, from_status="new", to_status="in_planning", reason="Why"
        )
    urls = {
        f"/en/reports/dreams/{city.slug}/{topic.slug}/": 16,
        f"/en/reports/services/{service.pk}/": 16,
        f"/en/reports/workshops/{closed_workshop.pk}/": 15,
    }
    for url, queries in urls.items():
        client.get(url)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
