import pytest
from django.urls import reverse

from participation.models import PlannedServicePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    user = UserFactory(email="admin@example.org")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


def test_editor_screens_render(client, admin_user, city_page, service):
    client.force_login(admin_user)
    add = reverse(
        "wagtailadmin_pages:add",
        args=["participation", "plannedservicepage", city_page.pk],
    )
    response = client.get(add)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "question to residents" in html.lower() or "kysymys asukkaille" in html.lower()
    )
    assert (
        client.get(reverse("wagtailadmin_pages:edit", args=[service.pk])).status_code
        == 200
    )
    explore = client.get(reverse("wagtailadmin_explore", args=[city_page.pk]))
    assert explore.status_code == 200
    assert reverse("participation_admin:answer_publish", args=[service.pk]) in (
        explore.content.decode()
    )


def test_planned_service_only_under_city_pages(home_page):
    assert not PlannedServicePage.can_create_at(home_page)


def test_moderation_menu_only_for_moderators(client, admin_user, moderator, resident):
    client.force_login(moderator)
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 200
    assert reverse("discussions_admin:moderation") in dashboard.content.decode()
