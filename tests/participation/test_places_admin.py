"""Districts, topics and population figures in the admin ("Places and topics"):
a city's rows are its editors' alone, and bad figures get a clear error."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Role
from accounts.services import role_grant
from core.models import District, PopulationFigure, Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helsinki_editor(city):
    user = UserFactory(email="eero@example.org")
    role_grant(user=user, city=city, role=Role.EDITOR)
    return user


@pytest.fixture
def kallio(city):
    return District.objects.create(
        city=city, slug="kallio", name_fi="Kallio", name_sv="Berghäll"
    )


@pytest.fixture
def nummi(other_city):
    return District.objects.create(
        city=other_city, slug="nummi", name_fi="Nummi", name_sv="Nummis"
    )


def _refused(response) -> bool:
    # Wagtail's admin answers a refused permission by sending the person back
    # to the dashboard with a message.
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def _figure(city, **fields):
    return PopulationFigure.objects.create(
        city=city, year=2024, dimension="total", count=1000, **fields
    )


def test_the_menu_and_lists_show_only_the_editors_city(
    client, helsinki_editor, kallio, nummi, city, other_city
):
    _figure(city)
    _figure(other_city, district=nummi)
    client.force_login(helsinki_editor)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("places_districts:index") in dashboard
    html = client.get(reverse("places_districts:index")).content.decode()
    assert "Berghäll" in html and "Nummis" not in html
    html = client.get(reverse("places_population:index")).content.decode()
    assert "Helsinki" in html and "Nummi" not in html


def test_a_resident_has_no_places_menu(client, city):
    client.force_login(UserFactory())
    response = client.get(reverse("places_districts:index"))
    assert response.status_code in (302, 403)


def test_an_editor_renames_a_district_of_their_city(client, helsinki_editor, kallio):
    client.force_login(helsinki_editor)
    response = client.post(
        reverse("places_districts:edit", args=[kallio.pk]),
        {
            "city": kallio.city_id,
            "name_fi": "Kallio",
            "name_sv": "Berghäll",
            "name_en": "Kallio district",
            "slug": "kallio",
        },
    )
    assert response.status_code == 302
    kallio.refresh_from_db()
    assert kallio.name_en == "Kallio district"


def test_an_editor_of_another_city_cannot_touch_this_citys_places(
    client, helsinki_editor, nummi, other_city
):
    figure = _figure(other_city)
    client.force_login(helsinki_editor)
    for name, row in (("districts", nummi), ("population", figure)):
        for view in ("edit", "delete"):
            url = reverse(f"places_{name}:{view}", args=[row.pk])
            assert _refused(client.get(url))
            assert _refused(client.post(url, {"name_fi": "Muutettu"}))
    nummi.refresh_from_db()
    assert nummi.name_fi == "Nummi"
    assert PopulationFigure.objects.filter(pk=figure.pk).exists()
    # Nor add one to that city: it is not among the form's choices.
    response = client.post(
        reverse("places_districts:add"),
        {"city": other_city.pk, "name_fi": "Martti", "slug": ""},
    )
    assert response.status_code == 200
    assert not District.objects.filter(name_fi="Martti").exists()
    assert "city" in response.context["form"].errors


def test_a_new_district_gets_its_slug_from_the_finnish_name(
    client, helsinki_editor, city
):
    client.force_login(helsinki_editor)
    response = client.post(
        reverse("places_districts:add"),
        {"city": city.pk, "name_fi": "Töölö", "name_sv": "Tölö", "slug": ""},
    )
    assert response.status_code == 302
    assert District.objects.get(name_fi="Töölö").slug == "toolo"


def _add_figure(client, city, **fields):
    data = {"city": city.pk, "district": "", "year": 2024, "count": 100}
    data.update(fields)
    return client.post(reverse("places_population:add"), data)


@pytest.mark.parametrize(
    ("fields", "error_field", "message"),
    [
        ({"dimension": "age_band", "group": "teens"}, "group", "teens"),
        ({"dimension": "gender", "group": "fi"}, "group", "fi"),
        (
            {"dimension": "total", "group": "fi"},
            "group",
            "The total has no group: leave the group empty.",
        ),
        (
            {"dimension": "first_language", "group": "finnish"},
            "group",
            "Give the first language as a two-letter code (fi, sv, ru …) or “other”.",
        ),
        ({"dimension": "first_language", "group": ""}, "group", ""),
        ({"dimension": "total", "group": "", "count": -5}, "count", "0"),
        ({"dimension": "total", "group": "", "count": "paljon"}, "count", ""),
        ({"dimension": "colour", "group": ""}, "dimension", ""),
    ],
)
def test_bad_population_figures_get_a_clear_error(
    client, helsinki_editor, city, fields, error_field, message
):
    client.force_login(helsinki_editor)
    response = _add_figure(client, city, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert error_field in errors
    # The admin speaks the person's language (Finnish by default).
    with translation.override("fi"):
        translated = gettext(message) if message else ""
    text = " ".join(errors[error_field])
    assert message in text or translated in text
    assert not PopulationFigure.objects.exists()


def test_population_figures_are_saved_and_listed(client, helsinki_editor, city, kallio):
    client.force_login(helsinki_editor)
    assert (
        _add_figure(client, city, dimension="first_language", group="SV").status_code
        == 302
    )
    response = _add_figure(
        client, city, district=kallio.pk, dimension="age_band", group="18_29"
    )
    assert response.status_code == 302
    assert set(
        PopulationFigure.objects.values_list("district", "dimension", "group")
    ) == {
        (None, "first_language", "sv"),
        (kallio.pk, "age_band", "18_29"),
    }
    # The same figure twice is refused, not a 500.
    response = _add_figure(client, city, dimension="first_language", group="sv")
    assert response.status_code == 200
    assert response.context["form"].errors
    html = client.get(reverse("places_population:index")).content.decode()
    assert "Kallio" in html and "18_29" in html


def test_a_district_of_another_city_is_refused(client, city, nummi):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = _add_figure(client, city, district=nummi.pk, dimension="total")
    assert response.status_code == 200
    assert "district" in response.context["form"].errors


def test_editors_add_topics_only_site_admins_delete_them(client, helsinki_editor):
    topic = Topic.objects.create(slug="culture", name_fi="Kulttuuri")
    client.force_login(helsinki_editor)
    response = client.post(
        reverse("places_topics:add"),
        {"name_fi": "Liikkuminen", "name_sv": "Mobilitet", "slug": "mobility"},
    )
    assert response.status_code == 302
    assert Topic.objects.get(slug="mobility").name_sv == "Mobilitet"
    assert _refused(client.post(reverse("places_topics:delete", args=[topic.pk])))
    assert Topic.objects.filter(pk=topic.pk).exists()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert (
        client.post(reverse("places_topics:delete", args=[topic.pk])).status_code == 302
    )
    assert not Topic.objects.filter(pk=topic.pk).exists()
