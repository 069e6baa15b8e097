"""People with roles, and a look at what the index holds."""

import pytest

from accounts.models import Role
from accounts.services import role_grant
from search.models import SearchDocument
from tests.factories import UserFactory


def _with_role(city, role):
    user = UserFactory()
    role_grant(user=user, city=city, role=role)
    return user


@pytest.fixture
def facilitator(city):
    return _with_role(city, Role.FACILITATOR)


@pytest.fixture
def moderator(city):
    return _with_role(city, Role.MODERATOR)


@pytest.fixture
def handler(city):
    return _with_role(city, Role.FEEDBACK_HANDLER)


@pytest.fixture
def editor(city):
    return _with_role(city, Role.EDITOR)


@pytest.fixture
def resident(db):
    return UserFactory()


def indexed(kind: str) -> set[int]:
    """The object ids of `kind` the search holds now."""
    return set(
        SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True)
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services left for after the commit, as a request would."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
