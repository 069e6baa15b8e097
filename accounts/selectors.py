"""Reads about people that several views and apps share."""

from typing import Any

from django.db.models import QuerySet

from accounts import personal_data
from accounts.models import BackgroundDetails, CityRole, Consent, User
from core.models import District


def consent_list(*, user: User) -> QuerySet[Consent]:
    """Every consent the person has given, newest first (one query)."""
    return Consent.objects.filter(user=user).order_by("-given_at", "-pk")


def background_get(*, user: User) -> BackgroundDetails | None:
    """The person's details with their district and its city (one query)."""
    return (
        BackgroundDetails.objects.filter(user=user)
        .select_related("home_district__city")
        .first()
    )


def district_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every district grouped by city, both sorted by name in the active language
    (one query), as grouped choices: `[(city name, [(id, district name)])]`."""
    by_city: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for district in District.objects.select_related("city"):
        group = by_city.setdefault(district.city_id, (district.city.name, []))
        group[1].append((str(district.pk), district.name))
    return [
        (city, sorted(districts, key=lambda d: d[1].casefold()))
        for city, districts in sorted(by_city.values(), key=lambda g: g[0].casefold())
    ]


def profile_data(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def admin_profile_data(user: User) -> dict[str, Any]:
    """What the Wagtail admin stores about its users (language, time zone …)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    if profile is None:
        return {}
    return {
        "preferred_language": profile.preferred_language,
        "current_time_zone": profile.current_time_zone,
        "avatar": profile.avatar.name if profile.avatar else "",
        "theme": profile.theme,
        "submitted_notifications": profile.submitted_notifications,
        "approved_notifications": profile.approved_notifications,
        "rejected_notifications": profile.rejected_notifications,
        "updated_comments_notifications": profile.updated_comments_notifications,
    }


def roles_data(user: User) -> list[dict[str, str]]:
    city_roles = (
        CityRole.objects.filter(group__user=user)
        .select_related("city")
        .order_by("city__slug", "role")
    )
    return [{"city": cr.city.slug, "role": cr.role} for cr in city_roles]


def consents_data(user: User) -> list[dict[str, Any]]:
    return [
        {
            "purpose": consent.purpose,
            "given_at": consent.given_at,
            "withdrawn_at": consent.withdrawn_at,
        }
        for consent in consent_list(user=user)
    ]


def background_data(user: User) -> dict[str, Any]:
    """Every background detail stored, by field (the district with its names)."""
    background = background_get(user=user)
    if background is None:
        return {}
    data: dict[str, Any] = {
        field: getattr(background, field)
        for field in ("age_band", "first_language", "gender")
        if getattr(background, field)
    }
    district = background.home_district
    if district is not None:
        data["home_district"] = {
            "id": district.pk,
            "slug": district.slug,
            "city": district.city.slug,
            "name_fi": district.name_fi,
            "name_sv": district.name_sv,
            "name_en": district.name_en,
        }
    return data


def personal_data_export(user: User) -> dict[str, Any]:
    """Everything stored about `user`: our sections, then every registered one."""
    data: dict[str, Any] = {
        "profile": profile_data(user),
        "roles": roles_data(user),
        "consents": consents_data(user),
        "background_details": background_data(user),
        "admin_profile": admin_profile_data(user),
    }
    for name, section in personal_data.sections().items():
        data[name] = section(user)
    return data
