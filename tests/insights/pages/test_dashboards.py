"""The staff dashboards: who gets in, what they show, their CSVs, their queries."""

import csv
import io
from datetime import date

import pytest
from django.utils import translation

from accounts.models import Role
from accounts.services import role_grant
from insights import metrics
from insights.dashboards import period_choices, period_dates
from insights.downloads import table_csv
from insights.scope import Scope
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db
NOVEMBER = "period=m2026-11&granularity=week"
INSIGHT_ROLES = [
    Role.EDITOR,
    Role.MODERATOR,
    Role.FACILITATOR,
    Role.FEEDBACK_HANDLER,
    Role.ADVICE_SUPERVISOR,
]


def _person(city=None, role=None):
    user = UserFactory()
    if role:
        role_grant(user=user, city=city, role=role)
    return user


def test_period_choices_are_whole_months_quarters_and_years():
    choices = period_choices(date(2026, 2, 10))
    assert choices[0][0] == "all"
    months, quarters, years = (dict(group[1]) for group in choices[1:])
    assert list(months)[:3] == ["m2026-2", "m2026-1", "m2025-12"]
    assert list(quarters) == ["q2026-1", "q2025-4", "q2025-3", "q2025-2"]
    assert list(years) == ["y2026", "y2025", "y2024"]
    assert period_dates("q2025-4") == (date(2025, 10, 1), date(2025, 12, 31))
    assert period_dates("m2024-2") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_dates("y2026") == (date(2026, 1, 1), date(2026, 12, 31))
    for odd in ("all", "m2026-13", "q2026-5", "x", "m2026-1-1", "'; drop"):
        assert period_dates(odd) == (None, None)


def test_anonymous_visitors_are_sent_to_log_in(client, city):
    for url in ("/insights/", f"/insights/city/{city.slug}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_people_without_a_role_in_the_city_are_refused(client, city, service):
    elsewhere = CityFactory()
    page = f"/insights/city/{city.slug}/"
    for person in (
        _person(),
        _person(elsewhere, Role.EDITOR),
        _person(city, Role.ADVISOR),
    ):
        client.force_login(person)
        assert client.get(page).status_code == 403
        assert client.get(page + "participation_by_channel.csv").status_code == 403
        assert client.get(page + f"services/{service.pk}/").status_code == 403
    client.force_login(_person())
    assert client.get("/insights/").status_code == 403
    assert client.get("/insights/city/no-such-city/").status_code == 404


@pytest.mark.parametrize("role", INSIGHT_ROLES)
def test_each_insight_role_sees_its_citys_dashboard(client, city, role):
    client.force_login(_person(city, role))
    index = client.get("/en/insights/").content.decode()
    assert f'href="/en/insights/city/{city.slug}/"' in index
    assert client.get(f"/en/insights/city/{city.slug}/").status_code == 200


def test_the_header_offers_insight_to_staff_only(client, city):
    client.force_login(_person(city, Role.MODERATOR))
    assert 'href="/en/insights/"' in client.get("/en/dreams/").content.decode()
    client.force_login(_person())
    assert 'href="/en/insights/"' not in client.get("/en/dreams/").content.decode()


def test_odd_filters_fall_back_to_the_whole_time(client, city):
    client.force_login(_person(city, Role.EDITOR))
    url = f"/en/insights/city/{city.slug}/"
    for query in ("period=m2026-13", "granularity=year", "period=%00", "period=y" * 9):
        assert client.get(f"{url}?{query}").status_code == 200


def test_object_dashboards_belong_to_the_city(
    client, city, service, workshop, topic, dreams
):
    client.force_login(_person(city, Role.FACILITATOR))
    base = f"/en/insights/city/{city.slug}/"
    page = client.get(f"{base}services/{service.pk}/?{NOVEMBER}").content.decode()
    assert "Participation by channel" in page
    assert "Participation by district" not in page
    assert f'href="/en/reports/services/{service.pk}/"' in page
    assert client.get(f"{base}workshops/{workshop.pk}/").status_code == 200
    assert client.get(f"{base}dreams/{topic.slug}/").status_code == 200
    assert client.get(f"{base}dreams/no-such-topic/").status_code == 404
    other = CityFactory()
    client.force_login(_person(other, Role.EDITOR))
    other_base = f"/en/insights/city/{other.slug}/"
    assert client.get(f"{other_base}services/{service.pk}/").status_code == 404
    assert client.get(f"{other_base}workshops/{workshop.pk}/").status_code == 404


def test_the_city_dashboard_draws_every_section(client, world, crowd):
    client.force_login(_person(world.city, Role.EDITOR))
    base = f"/en/insights/city/{world.city.slug}/"
    html = client.get(f"{base}?{NOVEMBER}").content.decode()
    for heading in (
        "Contributions over time",
        "Participants over time",
        "Participation by district",
        "Who is missing: gender",
    ):
        assert heading in html
    assert html.count("<svg") >= 8
    assert "style=" not in html
    assert 'value="m2026-11" selected' in html
    csv_link = "participation_by_channel.csv?period=m2026-11&amp;granularity=week"
    assert f'href="{base}{csv_link}"' in html
    assert f'href="{base}services/{world.service.pk}/"' in html


def test_a_dashboard_csv_is_the_metrics_table(client, world, crowd):
    client.force_login(_person(world.city, Role.MODERATOR))
    base = f"/en/insights/city/{world.city.slug}/"
    response = client.get(f"{base}participation_by_channel.csv?{NOVEMBER}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        '-m2026-11-participation_by_channel.csv"'
    )
    scope = Scope(
        city=world.city,
        start=date(2026, 11, 1),
        end=date(2026, 11, 30),
        granularity="week",
    )
    with translation.override("en"):
        expected = table_csv(metrics.participation_by(scope, "channel"))
    assert response.content.decode() == expected
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["key", "label", "contributions", "participants"]
    assert client.get(f"{base}no_such_table.csv").status_code == 404


def test_the_city_dashboard_reads_a_fixed_number_of_queries(
    client, world, crowd, django_assert_num_queries
):
    client.force_login(_person(world.city, Role.EDITOR))
    url = f"/en/insights/city/{world.city.slug}/?{NOVEMBER}"
    with django_assert_num_queries(67):  # cold: the metrics read the rollups
        client.get(url)
    with django_assert_num_queries(29):  # warm: the tables come from the cache
        client.get(url)


def test_the_wagtail_admin_menu_links_to_the_dashboards(client, city):
    client.force_login(_person(city, Role.EDITOR))
    assert "/insights/" in client.get("/admin/").content.decode()
