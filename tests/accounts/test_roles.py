"""has_city_role, cities_with_role and the rules predicates, role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from accounts.roles import cities_with_role, has_city_role
from accounts.rules import is_editor, is_facilitator, is_moderator
from accounts.services import role_grant, role_revoke
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)


@pytest.mark.parametrize("held", ALL_ROLES)
@pytest.mark.parametrize("asked", ALL_ROLES)
def test_role_holds_in_its_city_only_for_that_role(city, other_city, held, asked):
    user = UserFactory()
    role_grant(user=user, city=city, role=held)
    assert has_city_role(user, city, asked) is (held == asked)
    assert has_city_role(user, city.pk, asked) is (held == asked)
    assert has_city_role(user, other_city, asked) is False


@pytest.mark.parametrize("held", ALL_ROLES)
def test_any_of_several_roles_and_any_role_at_all(city, held):
    user = UserFactory()
    role_grant(user=user, city=city, role=held)
    assert has_city_role(user, city, *ALL_ROLES)
    assert has_city_role(user, city)  # no roles named: any role counts
    others = [role for role in ALL_ROLES if role != held]
    assert not has_city_role(user, city, *others)


def test_person_without_roles_holds_none(city):
    user = UserFactory()
    assert not has_city_role(user, city)
    for role in ALL_ROLES:
        assert not has_city_role(user, city, role)


def test_superuser_holds_every_role_everywhere(city, other_city):
    admin = UserFactory(is_superuser=True)
    for role in ALL_ROLES:
        assert has_city_role(admin, city, role)
        assert has_city_role(admin, other_city, role)
    assert set(cities_with_role(admin, Role.EDITOR)) == {city, other_city}


def test_anonymous_and_none_hold_nothing(city):
    assert not has_city_role(AnonymousUser(), city, Role.EDITOR)
    assert not has_city_role(None, city, Role.EDITOR)
    assert list(cities_with_role(AnonymousUser(), Role.EDITOR)) == []
    assert list(cities_with_role(None)) == []


def test_inactive_user_holds_nothing_even_as_superuser(city):
    user = UserFactory()
    role_grant(user=user, city=city, role=Role.MODERATOR)
    user.is_active = False
    assert not has_city_role(user, city, Role.MODERATOR)
    assert list(cities_with_role(user, Role.MODERATOR)) == []
    admin = UserFactory(is_superuser=True, is_active=False)
    assert not has_city_role(admin, city, Role.EDITOR)


def test_no_city_means_no_role_for_ordinary_people():
    user = UserFactory()
    assert not has_city_role(user, None, Role.EDITOR)


def test_revoking_takes_the_role_away(city):
    user = UserFactory()
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    assert has_city_role(user, city, Role.FACILITATOR)
    role_revoke(user=user, city=city, role=Role.FACILITATOR)
    assert not has_city_role(user, city, Role.FACILITATOR)


def test_granting_twice_is_harmless(city):
    user = UserFactory()
    role_grant(user=user, city=city, role=Role.EDITOR)
    role_grant(user=user, city=city, role=Role.EDITOR)
    assert list(cities_with_role(user, Role.EDITOR)) == [city]
    assert user.groups.count() == 1


def test_cities_with_role(city, other_city):
    third = CityFactory()
    user = UserFactory()
    role_grant(user=user, city=city, role=Role.EDITOR)
    role_grant(user=user, city=other_city, role=Role.MODERATOR)
    role_grant(user=user, city=other_city, role=Role.EDITOR)
    assert set(cities_with_role(user, Role.EDITOR)) == {city, other_city}
    assert list(cities_with_role(user, Role.MODERATOR)) == [other_city]
    assert list(cities_with_role(user, Role.FACILITATOR)) == []
    assert set(cities_with_role(user)) == {city, other_city}
    assert third not in cities_with_role(user)


def test_many_checks_cost_one_query(city, other_city, django_assert_num_queries):
    user = UserFactory()
    role_grant(user=user, city=city, role=Role.EDITOR)
    fresh = type(user).objects.get(pk=user.pk)
    cities = [city, other_city] + [CityFactory() for _ in range(5)]
    with django_assert_num_queries(1):
        for _ in range(20):
            for each in cities:
                for role in ALL_ROLES:
                    has_city_role(fresh, each, role)


def test_role_groups_open_the_admin(city):
    user = UserFactory()
    role_grant(user=user, city=city, role=Role.EDITOR)
    fresh = type(user).objects.get(pk=user.pk)
    assert fresh.has_perm("wagtailadmin.access_admin")


class _Thing:
    def __init__(self, city):
        self.city = city


@pytest.mark.parametrize(
    ("predicate", "role"),
    [
        (is_editor, Role.EDITOR),
        (is_moderator, Role.MODERATOR),
        (is_facilitator, Role.FACILITATOR),
    ],
)
def test_rules_predicates_wrap_has_city_role(city, other_city, predicate, role):
    user = UserFactory()
    role_grant(user=user, city=city, role=role)
    assert predicate(user, city)
    assert predicate(user, _Thing(city))
    assert not predicate(user, other_city)
    assert not predicate(user, _Thing(other_city))
    assert not predicate(user, None)
    assert not predicate(AnonymousUser(), city)
    assert predicate(UserFactory(is_superuser=True), None)
    for other_role in set(Role) - {role}:
        stranger = UserFactory()
        role_grant(user=stranger, city=city, role=other_role)
        assert not predicate(stranger, city)
