"""Open data test fixtures."""

import pytest

from participation.services import service_discussions_sync
from tests.factories import UserFactory
from tests.participation.factories import make_service

NAME = "Ainomaija Tunnistettava"
EMAIL = "aino.tunnistettava@example.org"


@pytest.fixture
def setup(city_page, city):
    from accounts.models import Role
    from accounts.services import role_grant

    service = make_service(city_page)
    discussion = service_discussions_sync(page=service)[service.discussion_key]
    user = UserFactory(display_name=NAME, email=EMAIL)
    moderator = UserFactory(display_name="Moderaattori Mikko", email="mm@example.org")
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    return service, discussion, user, moderator
