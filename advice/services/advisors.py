"""Advisors' profiles as the desk's administration writes them.

An advisor is a user with the advisor role in a city plus an `AdvisorProfile`
(display name, languages, cap). A supervisor adds a person by e-mail address to
the cities it supervises (the role is granted through the city's group) and
may take the role away again only there: other cities' roles stay as they are.
The advisor edits its own name, languages and cap.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.services import role_grant, role_revoke
from advice.languages import is_known
from advice.models import MAX_CHATS_CAP, AdvisorLanguage, AdvisorProfile
from advice.rules import supervisor_city_ids
from core.errors import Forbidden, clean_field, invalid_fields
from core.models import City

__all__ = ["advisor_remove", "advisor_save"]

DISPLAY_NAME_MAX = 60


@transaction.atomic
def advisor_save(
    *,
    by,
    display_name: str,
    languages: Iterable[str],
    max_chats: int,
    profile: AdvisorProfile | None = None,
    email: str = "",
    cities: Iterable[City] | None = None,
) -> AdvisorProfile:
    """Create (`email`, no `profile`) or update an advisor's profile as `by`.

    `cities`: the cities among those `by` supervises where the person is an
    advisor from now on (None: leave the roles alone). Writes nothing when it
    refuses."""
    errors: dict[str, tuple[str, str]] = {}
    display_name = clean_field(
        errors,
        "display_name",
        display_name,
        max_length=DISPLAY_NAME_MAX,
        multiline=False,
    )
    languages = sorted(set(languages))
    if not languages:
        errors["languages"] = (_("Choose at least one language."), "required")
    elif not all(is_known(code) for code in languages):
        errors["languages"] = (_("Choose languages from the list."), "invalid")
    if not isinstance(max_chats, int) or not 1 <= max_chats <= MAX_CHATS_CAP:
        errors["max_chats"] = (
            _("Choose between 1 and %(n)d chats.") % {"n": MAX_CHATS_CAP},
            "invalid",
        )
    supervised = supervisor_city_ids(by)
    cities = None if cities is None else list(cities)
    if cities is not None and any(city.pk not in supervised for city in cities):
        raise Forbidden(_("You can only choose the cities whose desk you supervise."))
    user = None
    if profile is None:
        if not cities:
            errors["cities"] = (_("Choose at least one city."), "required")
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            errors["email"] = (
                _("Nobody has an account with this e-mail address."),
                "unknown",
            )
        elif AdvisorProfile.objects.filter(user=user).exists():
            errors["email"] = (
                _("This person is an advisor already; edit their profile."),
                "exists",
            )
    elif not rules.has_perm("advice.edit_advisor", by, profile):
        raise Forbidden(_("You cannot edit this advisor."))
    if errors:
        raise invalid_fields(errors)
    if profile is None:
        profile = AdvisorProfile(user=user)
    profile.display_name = display_name
    profile.max_chats = max_chats
    profile.save()
    AdvisorLanguage.objects.filter(advisor=profile).exclude(
        language__in=languages
    ).delete()
    AdvisorLanguage.objects.bulk_create(
        [AdvisorLanguage(advisor=profile, language=code) for code in languages],
        ignore_conflicts=True,
    )
    if cities is not None:
        chosen = {city.pk for city in cities}
        for city in City.objects.filter(pk__in=supervised):
            if city.pk in chosen:
                role_grant(user=profile.user, city=city, role=Role.ADVISOR)
            else:
                role_revoke(user=profile.user, city=city, role=Role.ADVISOR)
    return profile


@transaction.atomic
def advisor_remove(*, by, profile: AdvisorProfile) -> None:
    """Remove an advisor: the profile and the role in the remover's cities. Their
    chats stay (without the advisor) for the statistics."""
    if not rules.has_perm("advice.remove_advisor", by, profile):
        raise Forbidden(_("You cannot remove this advisor."))
    for city in City.objects.filter(pk__in=supervisor_city_ids(by)):
        role_revoke(user=profile.user, city=city, role=Role.ADVISOR)
    profile.delete()
