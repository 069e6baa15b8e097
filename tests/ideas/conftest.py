import pytest

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import UserFactory


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Resident <script>x</script>")


@pytest.fixture
def other_resident(db):
    return UserFactory(display_name="Other resident")


@pytest.fixture
def facilitator(city):
    user = UserFactory(display_name="Facilitator")
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    return user


@pytest.fixture
def editor(city):
    user = UserFactory(display_name="Editor")
    role_grant(user=user, city=city, role=Role.EDITOR)
    return user


@pytest.fixture
def other_city_facilitator(other_city):
    user = UserFactory(display_name="Turku facilitator")
    role_grant(user=user, city=other_city, role=Role.FACILITATOR)
    return user
