"""Every write to accounts, roles and consents."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accounts.models import CityRole, Role, User
from core.models import City


@transaction.atomic
def city_role_groups_ensure(city: City) -> dict[str, Group]:
    """Create (once) the group behind each role in `city`; each may open the admin."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups: dict[str, Group] = {}
    for role in Role:
        city_role = (
            CityRole.objects.select_related("group")
            .filter(city=city, role=role)
            .first()
        )
        if city_role is None:
            group, _ = Group.objects.get_or_create(name=f"{city.name_fi}: {role.label}")
            city_role = CityRole.objects.create(city=city, role=role, group=group)
        city_role.group.permissions.add(access_admin)
        groups[role.value] = city_role.group
    return groups


@transaction.atomic
def role_grant(*, user: User, city: City, role: Role | str) -> None:
    """Give `user` the `role` in `city` (through the role's group)."""
    group = city_role_groups_ensure(city)[str(role)]
    user.groups.add(group)
    user.__dict__.pop("_city_roles_cache", None)


@transaction.atomic
def role_revoke(*, user: User, city: City, role: Role | str) -> None:
    city_role = CityRole.objects.filter(city=city, role=str(role)).first()
    if city_role is not None:
        user.groups.remove(city_role.group)
    user.__dict__.pop("_city_roles_cache", None)
