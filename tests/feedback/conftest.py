import pytest

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import UserFactory
from tests.feedback.factories import FeedbackServiceFactory


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def service(city):
    return FeedbackServiceFactory(city=city, service_code="hel-library")


@pytest.fixture
def handler(city):
    user = UserFactory(display_name="Handler Hanna", email="hanna@example.org")
    role_grant(user=user, city=city, role=Role.FEEDBACK_HANDLER)
    return user


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Resident Riikka", email="riikka@example.org")
