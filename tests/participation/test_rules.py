"""Who may steer a planned service: the city's editors (and site admins) only."""

import pytest
import rules

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import UserFactory

PERMISSIONS = ["participation.set_service_status", "participation.publish_answer"]


@pytest.mark.django_db
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_only_the_citys_editors_steer_its_services(
    service, city, other_city, editor, moderator, resident, permission
):
    elsewhere = UserFactory()
    role_grant(user=elsewhere, city=other_city, role=Role.EDITOR)
    admin = UserFactory(is_superuser=True)
    allowed = {
        "editor": editor,
        "admin": admin,
    }
    refused = {
        "editor of another city": elsewhere,
        "moderator": moderator,
        "resident": resident,
        "nobody": None,
    }
    for who, user in allowed.items():
        assert rules.has_perm(permission, user, service), who
    for who, user in refused.items():
        assert not rules.has_perm(permission, user, service), who
