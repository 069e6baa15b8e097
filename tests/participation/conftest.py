import pytest
from wagtail.models import Locale

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from participation.services import service_discussions_sync
from tests.factories import UserFactory
from tests.participation.factories import TITLES, make_service, translate


@pytest.fixture
def service(city_page):
    return make_service(city_page)


@pytest.fixture
def discussion(service):
    return service_discussions_sync(page=service)[service.discussion_key]


@pytest.fixture
def resident(db):
    return UserFactory(
        display_name="Resident <b>Riikka</b>", email="riikka@example.org"
    )


@pytest.fixture
def resident2(db):
    return UserFactory(display_name="Resident Reino", email="reino@example.org")


@pytest.fixture
def moderator(city):
    user = UserFactory(display_name="Moderator Maija", email="maija@example.org")
    role_grant(user=user, city=city, role=Role.MODERATOR)
    return user


@pytest.fixture
def editor(city):
    user = UserFactory(display_name="Editor Eero", email="eero@example.org")
    role_grant(user=user, city=city, role=Role.EDITOR)
    return user


@pytest.fixture
def as_participant():
    def make(user, ip="10.0.0.1"):
        return Actor(user=user, ip=ip)

    return make


@pytest.fixture
def city_pages(city_page):
    """The city page in Finnish, Swedish and English."""
    pages = {"fi": city_page}
    for language in ("sv", "en"):
        locale = Locale.objects.get_or_create(language_code=language)[0]
        pages[language] = city_page.copy_for_translation(locale, copy_parents=True)
        pages[language].save_revision().publish()
    return pages


@pytest.fixture
def copies(city_pages):
    """One planned service published in Finnish, Swedish and English."""
    fi = make_service(city_pages["fi"], title=TITLES["fi"])
    return {
        "fi": fi,
        "sv": translate(fi, "sv", summary="Biblioteket öppnar"),
        "en": translate(fi, "en", summary="The library opens"),
    }
