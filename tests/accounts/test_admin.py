"""The Wagtail admin: user screens for our User, cities with their role groups."""

import pytest
from wagtail.users.models import UserProfile

from accounts.models import CityRole, Role, User
from accounts.roles import has_city_role
from accounts.services import city_role_groups_ensure
from core.models import City
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    # The admin speaks English here, so the assertions can read its words.
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin)
    return client


def test_user_list_and_forms_render(admin_client, city):
    UserFactory(email="someone@example.org", display_name="Someone")
    response = admin_client.get("/admin/users/")
    assert response.status_code == 200
    assert "someone@example.org" in response.content.decode()
    response = admin_client.get("/admin/users/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="display_name"' in html
    assert 'name="preferred_language"' in html
    assert 'name="first_name"' not in html
    assert admin_client.get("/admin/users/?q=someone").status_code == 200


def test_admin_creates_a_user_with_a_city_role(admin_client, city):
    groups = city_role_groups_ensure(city)
    response = admin_client.post(
        "/admin/users/new/",
        {
            "email": "New.Editor@Example.org",
            "display_name": "New <b>editor</b>",
            "preferred_language": "sv",
            "password1": "a quite long secret 42",
            "password2": "a quite long secret 42",
            "groups": [groups["editor"].pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email="new.editor@example.org")
    assert user.display_name == "New <b>editor</b>"  # as typed (#12)
    assert user.preferred_language == "sv"
    assert user.check_password("a quite long secret 42")
    assert has_city_role(user, city, Role.EDITOR)
    assert not has_city_role(user, city, Role.MODERATOR)


def test_admin_refuses_a_duplicate_address(admin_client):
    UserFactory(email="taken@example.org")
    response = admin_client.post(
        "/admin/users/new/",
        {
            "email": "TAKEN@example.org",
            "display_name": "Dup",
            "preferred_language": "fi",
            "password1": "a quite long secret 42",
            "password2": "a quite long secret 42",
        },
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_admin_edits_a_user(admin_client, city):
    groups = city_role_groups_ensure(city)
    user = UserFactory(email="edit@example.org", display_name="Before")
    url = f"/admin/users/edit/{user.pk}/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "email": "edit@example.org",
            "display_name": "After",
            "preferred_language": "en",
            "is_active": "on",
            "groups": [groups["moderator"].pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language) == ("After", "en")
    assert user.check_password("correct horse battery")  # left blank: unchanged
    assert has_city_role(user, city, Role.MODERATOR)


def test_admin_creates_a_city_with_its_role_groups(admin_client):
    assert admin_client.get("/admin/cities/").status_code == 200
    assert admin_client.get("/admin/cities/new/").status_code == 200
    response = admin_client.post(
        "/admin/cities/new/",
        {"slug": "oulu", "name_fi": "Oulu", "name_sv": "Uleåborg", "name_en": "Oulu"},
    )
    assert response.status_code == 302
    city = City.objects.get(slug="oulu")
    assert set(
        CityRole.objects.filter(city=city).values_list("role", flat=True)
    ) == set(Role.values)
    assert admin_client.get(f"/admin/cities/edit/{city.pk}/").status_code == 200
    editors = CityRole.objects.get(city=city, role="editor").group
    UserFactory().groups.add(editors)
    response = admin_client.get(f"/admin/cities/inspect/{city.pk}/")
    assert response.status_code == 200
    assert editors.name in response.content.decode()
    assert "1 person" in response.content.decode()


def test_people_without_admin_rights_cannot_manage_cities_or_users(client, city):
    editor = UserFactory()
    from accounts.services import role_grant

    role_grant(user=editor, city=city, role=Role.EDITOR)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200  # the role opens the admin
    for url in ("/admin/cities/", "/admin/cities/new/", "/admin/users/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    client.post("/admin/cities/new/", {"slug": "x", "name_fi": "X"})
    assert not City.objects.filter(slug="x").exists()


def test_admin_account_settings_edit_display_name(client):
    user = UserFactory(is_superuser=True, display_name="Old", email="me@example.org")
    client.force_login(user)
    response = client.get("/admin/account/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="name_email-display_name"' in html
    assert "name_email-first_name" not in html
    response = client.post(
        "/admin/account/",
        {
            "name_email-display_name": "New name",
            "name_email-email": "me@example.org",
            "locale-preferred_language": "fi",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.display_name == "New name"
