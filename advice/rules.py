"""Who may do what at the advice desk: the app's named permissions (`rules`).

Services, consumers, views and templates ask these rules; no decision here is
coded anywhere else. Objects they take:

- `advice.advise`: a `Chat` (or anything with `city_id` and `language`, such as
  `Queue`): an advisor (role `advisor` in the chat's city — any city when the
  chat's city is empty — and the language in their `AdvisorProfile`).
- `advice.hold_chat`: a `Chat`: the advisor it is with now, while it is active.
- `advice.supervise`: a `City` (or anything with `city_id`): an advice-desk
  supervisor of that city; without an object (or "any city"), of some city.
- `advice.publish_answer`: a `Chat`: an advisor who has held it, or a
  supervisor of its city.
- `advice.use_desk` (no object): an advisor with a profile, or a supervisor.

Site admins hold every role (`accounts.roles`) but advise only with a profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from accounts.models import Role
from accounts.roles import cities_with_role, has_city_role, has_role_anywhere
from advice.models import AdvisorProfile, Chat, ChatMember, ChatStatus
from core.models import City


@dataclass(frozen=True)
class Queue:
    """One queue: a city (None: "any city") and a language."""

    city_id: int | None
    language: str


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def advisor_profile(user) -> AdvisorProfile | None:
    """The user's advisor profile (cached on the user object), or None."""
    if not _active(user):
        return None
    if not hasattr(user, "_advice_profile"):
        user._advice_profile = (
            AdvisorProfile.objects.filter(user=user)
            .prefetch_related("languages")
            .first()
        )
    return user._advice_profile


def advisor_languages(profile: AdvisorProfile) -> set[str]:
    return {row.language for row in profile.languages.all()}


def advisor_city_ids(user) -> set[int]:
    """The cities where `user` holds the advisor role (site admins: all)."""
    if not hasattr(user, "_advice_city_ids"):
        user._advice_city_ids = set(
            cities_with_role(user, Role.ADVISOR).values_list("pk", flat=True)
        )
    return user._advice_city_ids


def supervisor_city_ids(user) -> set[int]:
    """The cities whose desk `user` supervises (site admins: all)."""
    if not _active(user):
        return set()
    if not hasattr(user, "_advice_supervised_ids"):
        user._advice_supervised_ids = set(
            cities_with_role(user, Role.ADVICE_SUPERVISOR).values_list("pk", flat=True)
        )
    return user._advice_supervised_ids


def _city_id(obj: Any) -> int | None:
    if isinstance(obj, City):
        return obj.pk
    return getattr(obj, "city_id", None)


@rules.predicate
def advises(user, obj: Any) -> bool:
    """An advisor of the object's city and language."""
    profile = advisor_profile(user)
    if profile is None or obj is None:
        return False
    if obj.language not in advisor_languages(profile):
        return False
    city_id = _city_id(obj)
    if city_id is None:  # "any city": an advisor of any city
        return bool(advisor_city_ids(user))
    return has_city_role(user, city_id, Role.ADVISOR)


@rules.predicate
def holds(user, chat: Chat) -> bool:
    profile = advisor_profile(user)
    return (
        profile is not None
        and chat.status == ChatStatus.ACTIVE
        and chat.advisor_id == profile.pk
    )


@rules.predicate
def supervises(user, obj: Any = None) -> bool:
    if not _active(user):
        return False
    city_id = _city_id(obj) if obj is not None else None
    if city_id is None:
        return has_role_anywhere(user, Role.ADVICE_SUPERVISOR)
    return has_city_role(user, city_id, Role.ADVICE_SUPERVISOR)


@rules.predicate
def has_held(user, chat: Chat) -> bool:
    profile = advisor_profile(user)
    if profile is None:
        return False
    return ChatMember.objects.filter(
        chat=chat, role="advisor", advisor=profile
    ).exists()


@rules.predicate
def may_use_desk(user) -> bool:
    profile = advisor_profile(user)
    if profile is not None and has_role_anywhere(user, Role.ADVISOR):
        return True
    return supervises(user)


rules.add_perm("advice.advise", advises)
rules.add_perm("advice.hold_chat", holds)
rules.add_perm("advice.supervise", supervises)
rules.add_perm("advice.publish_answer", has_held | supervises)
rules.add_perm("advice.use_desk", may_use_desk)


# --- The desk's administration in the Wagtail admin (advops) -----------------
# Advisors' profiles, canned answers, topics, hours and settings. City rows
# (hours, holiday exceptions, settings, a city's canned answers) use
# `advice.supervise` with the row; these add what a city row cannot say.


def supervised_cities(user):
    """The cities whose desk `user` supervises, as a query (the admin's lists)."""
    return cities_with_role(user, Role.ADVICE_SUPERVISOR)


@rules.predicate
def manages_canned_answer(user, answer: Any = None) -> bool:
    """A city's answers: its supervisors; everyone's (no city): site admins."""
    if answer is None:
        return supervises(user)
    if _city_id(answer) is None:
        return bool(_active(user) and user.is_superuser)
    return supervises(user, answer)


@rules.predicate
def edits_advisor(user, profile: AdvisorProfile | None = None) -> bool:
    """The advisor themself, or a supervisor of one of the advisor's cities.

    Without a profile: may open the advisors' list (advisors and supervisors)."""
    if not _active(user):
        return False
    if profile is None:
        return may_use_desk(user)
    if profile.user_id == user.pk or user.is_superuser:
        return True
    theirs = set(
        cities_with_role(profile.user, Role.ADVISOR).values_list("pk", flat=True)
    )
    return bool(theirs & supervisor_city_ids(user))


@rules.predicate
def removes_advisor(user, profile: AdvisorProfile) -> bool:
    """A supervisor of every one of the advisor's cities (never oneself)."""
    if not _active(user) or profile.user_id == user.pk:
        return False
    if user.is_superuser:
        return True
    theirs = set(
        cities_with_role(profile.user, Role.ADVISOR).values_list("pk", flat=True)
    )
    return bool(theirs) and theirs <= supervisor_city_ids(user)


rules.add_perm("advice.manage_canned_answer", manages_canned_answer)
rules.add_perm("advice.edit_advisor", edits_advisor)
rules.add_perm("advice.remove_advisor", removes_advisor)
# Topics are shared by every city's desk: a change by one city would change the
# others', so site admins keep them.
rules.add_perm("advice.manage_topics", rules.is_active & rules.is_superuser)
