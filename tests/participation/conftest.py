import pytest

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from participation.services import service_discussions_sync
from tests.factories import UserFactory
from tests.participation.factories import make_service


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
