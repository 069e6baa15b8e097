"""City editors edit their own city's pages in the Wagtail admin, and nothing else."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import GroupPagePermission, Locale

from accounts.models import Role
from accounts.services import role_grant
from cms.models import CityPage, ContentPage
from cms.services import city_setup
from tests.factories import UserFactory

PASSWORD = "correct horse battery"


@pytest.fixture
def other_city_page(home_page, other_city):
    return home_page.add_child(
        instance=CityPage(
            title=other_city.name_fi, slug=other_city.slug, city=other_city
        )
    )


@pytest.fixture
def setup_both(city, city_page, other_city, other_city_page):
    city_setup(city=city, city_page=city_page)
    city_setup(city=other_city, city_page=other_city_page)


def _denied(response) -> bool:
    """Wagtail answers a forbidden admin page by sending the person to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def _person(city, role):
    user = UserFactory()
    role_grant(user=user, city=city, role=role)
    return user


@pytest.mark.django_db
def test_editor_logs_into_admin_and_edits_only_own_city(
    client, city, city_page, other_city_page, setup_both
):
    editor = _person(city, Role.EDITOR)
    assert client.login(email=editor.email, password=PASSWORD)

    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{city_page.pk}/edit/").status_code == 200
    assert (
        client.get(f"/admin/pages/add/cms/contentpage/{city_page.pk}/").status_code
        == 200
    )
    assert _denied(client.get(f"/admin/pages/{other_city_page.pk}/edit/"))
    assert _denied(
        client.get(f"/admin/pages/add/cms/contentpage/{other_city_page.pk}/")
    )
    # Nor the home page above the cities.
    assert _denied(client.get(f"/admin/pages/{city_page.get_parent().pk}/edit/"))

    perms = city_page.permissions_for_user(editor)
    assert perms.can_edit() and perms.can_publish() and perms.can_lock()
    assert not other_city_page.permissions_for_user(editor).can_edit()
    assert not city_page.get_parent().permissions_for_user(editor).can_edit()


@pytest.mark.django_db
def test_editor_may_edit_child_pages_and_translations_of_the_city_page(
    city, city_page, setup_both
):
    child = city_page.add_child(instance=ContentPage(title="Ohje", slug="ohje"))
    swedish = city_page.copy_for_translation(
        Locale.objects.get(language_code="sv"), copy_parents=True
    )
    city_setup(city=city, city_page=city_page)  # after adding a language
    editor = _person(city, Role.EDITOR)

    assert child.permissions_for_user(editor).can_edit()
    assert swedish.permissions_for_user(editor).can_edit()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MODERATOR, Role.FACILITATOR])
def test_moderators_and_facilitators_open_the_admin_but_edit_no_pages(
    client, city, city_page, setup_both, role
):
    person = _person(city, role)
    assert client.login(email=person.email, password=PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert _denied(client.get(f"/admin/pages/{city_page.pk}/edit/"))


@pytest.mark.django_db
def test_a_person_without_a_role_is_sent_to_log_in(client, setup_both):
    resident = UserFactory()
    client.force_login(resident)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_city_setup_is_idempotent(city, city_page, setup_both):
    ours = GroupPagePermission.objects.filter(group__city_role__isnull=False)
    before = ours.count()
    city_setup(city=city, city_page=city_page)
    assert ours.count() == before
    assert before == 2 * 5  # two cities × add, change, publish, lock, unlock


@pytest.mark.django_db
def test_city_setup_refuses_another_citys_page(city, other_city_page):
    with pytest.raises(ValidationError):
        city_setup(city=city, city_page=other_city_page)
    assert not GroupPagePermission.objects.filter(group__city_role__isnull=False)


@pytest.mark.django_db
def test_a_city_has_one_city_page_per_language(home_page, city, city_page):
    duplicate = CityPage(title="Helsinki 2", slug="helsinki-2", city=city)
    with pytest.raises(ValidationError) as error:
        home_page.add_child(instance=duplicate)
    assert "city" in error.value.message_dict
    assert CityPage.objects.filter(city=city).count() == 1


@pytest.mark.django_db
def test_city_page_published_in_the_admin_gets_editor_permissions(city, city_page):
    from wagtail import hooks

    editor = _person(city, Role.EDITOR)
    assert not city_page.permissions_for_user(editor).can_edit()
    for hook in hooks.get_hooks("after_publish_page"):
        hook(None, city_page)
    editor = type(editor).objects.get(pk=editor.pk)  # no cached permissions
    assert city_page.permissions_for_user(editor).can_edit()
