"""Reads about people that several views and apps share."""

from typing import Any

from django.db.models import QuerySet

from accounts import personal_data
from accounts.models import BackgroundDetails, CityRole, Consent, User


def consent_list(*, user: User) -> QuerySet[Consent]:
    """Every consent the person has given, newest first (one query)."""
    return Consent.objects.filter(user=user).order_by("-given_at", "-pk")


def background_get(*, user: User) -> BackgroundDetails | None:
    return BackgroundDetails.objects.filter(user=user).first()


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


def background_data(user: User) -> dict[str, str]:
    background = background_get(user=user)
    if background is None:
        return {}
    return {
        field: getattr(background, field)
        for field in ("age_band", "home_district", "first_language")
        if getattr(background, field)
    }


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
