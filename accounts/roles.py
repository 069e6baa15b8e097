"""The one function every app uses to check a role in a city."""

from django.db.models import QuerySet

from accounts.models import CityRole, Role
from core.models import City


def has_city_role(user, city: City | int | None, *roles: Role | str) -> bool:
    """True when `user` holds any of `roles` in `city` (site admins hold them all).

    With no `roles`, any role in the city counts.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if city is None:
        return False
    city_id = city if isinstance(city, int) else city.pk
    held = _held_roles(user)
    wanted = {str(role) for role in roles} or {r.value for r in Role}
    return any((city_id, role) in held for role in wanted)


def has_role_anywhere(user, *roles: Role | str) -> bool:
    """True when `user` holds any of `roles` in some city (site admins always)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    wanted = {str(role) for role in roles} or {r.value for r in Role}
    return any(role in wanted for _city, role in _held_roles(user))


def cities_with_role(user, *roles: Role | str) -> QuerySet[City]:
    """The cities in which `user` holds any of `roles` (all cities for site admins)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return City.objects.none()
    if user.is_superuser:
        return City.objects.all()
    wanted = [str(role) for role in roles] or [r.value for r in Role]
    return City.objects.filter(
        roles__role__in=wanted, roles__group__user=user
    ).distinct()


def role_holder_ids(city: City | int | None, role: Role | str) -> list[int]:
    """The active people holding `role` in `city` (one query; site admins only
    when they hold it by group too): whom a city's queue tells of new items."""
    if city is None:
        return []
    from accounts.models import User

    city_id = city if isinstance(city, int) else city.pk
    return list(
        User.objects.filter(
            is_active=True,
            groups__city_role__city_id=city_id,
            groups__city_role__role=str(role),
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def _held_roles(user) -> set[tuple[int, str]]:
    # Cached on the user object: one query per request however many checks run.
    cached = getattr(user, "_city_roles_cache", None)
    if cached is None:
        cached = set(
            CityRole.objects.filter(group__user=user).values_list("city_id", "role")
        )
        user._city_roles_cache = cached
    return cached
