"""Who may do what with service dreams: the app's named permissions (`rules`).

Services, views, the triage admin, templates (`{% load rules %}`) and the workshops
app ask these rules; no decision here is coded anywhere else. Objects they take:

- `ideas.triage_dream`, `ideas.link_dream`: a `Dream`, or a `City` (None: a dream
  for all cities, or "some city" for the triage page). Facilitators and editors of
  the dream's city; for all-city dreams, those of any city (site admins: all).
- `ideas.merge_dreams`: a `DreamPair` (the duplicate and the dream it joins): the
  person must triage both.
- `ideas.tell_dream` (a `City` or None) and `ideas.support_dream` (a `Dream`): the
  subject is the acting `Actor` (a user or an anonymous participant), not a `User`:
  anonymous participants may act where the city allows them.

Python code asks `rules.has_perm` (or `rules.test_rule`, the same answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import QuerySet

from accounts.models import Role
from accounts.roles import cities_with_role, has_city_role
from core.actors import Actor
from core.models import City
from ideas.models import CLOSED_STATUSES, Dream, IdeasCitySettings

# The roles that follow dreams through (status changes, merges, links).
TRIAGE_ROLES = (Role.FACILITATOR, Role.EDITOR)


@dataclass(frozen=True)
class DreamPair:
    """A duplicate dream (`source`) and the dream it would be merged into."""

    source: Dream
    target: Dream


def _city_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, City):
        return obj.pk
    return getattr(obj, "city_id", None)


def anonymous_allowed(city: City | int | None) -> bool:
    """Anonymous dreams and supports are allowed only where a city switched them on."""
    city_id = _city_id(city) if not isinstance(city, int) else city
    if city_id is None:
        return False
    return IdeasCitySettings.objects.filter(
        city_id=city_id, allow_anonymous=True
    ).exists()


def anonymous_cities() -> QuerySet[City]:
    """The cities that take anonymous dreams, by name (what a visitor is told)."""
    return City.objects.filter(
        pk__in=IdeasCitySettings.objects.filter(allow_anonymous=True).values("city_id")
    ).order_by("name_fi")


def anonymous_allowed_somewhere() -> bool:
    """Some city takes anonymous dreams (the form is worth showing to visitors)."""
    return IdeasCitySettings.objects.filter(allow_anonymous=True).exists()


def triage_cities(user) -> QuerySet[City]:
    """The cities whose dreams `user` triages: `is_triager` as a query (lists)."""
    return cities_with_role(user, *TRIAGE_ROLES)


# --- Predicates ------------------------------------------------------------------


@rules.predicate
def is_triager(user, obj=None) -> bool:
    """A facilitator or editor of the object's city; with no city, of any city."""
    city_id = _city_id(obj)
    if city_id is not None:
        return has_city_role(user, city_id, *TRIAGE_ROLES)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or triage_cities(user).exists()


@rules.predicate
def triages_both(user, pair: DreamPair) -> bool:
    return is_triager(user, pair.source) and is_triager(user, pair.target)


def _actor(subject: Any) -> Actor:
    """Rules on participation take an `Actor`; a `User` (templates) becomes one."""
    if isinstance(subject, Actor):
        return subject
    registered = subject is not None and getattr(subject, "is_authenticated", False)
    return Actor(user=subject if registered else None)


@rules.predicate
def is_registered(subject) -> bool:
    return _actor(subject).is_registered


@rules.predicate
def city_allows_anonymous(subject, obj) -> bool:
    """The city of the dream (or the city itself) takes anonymous participants."""
    return anonymous_allowed(_city_id(obj))


@rules.predicate
def is_dream_author(subject, dream: Dream) -> bool:
    """The dreamer: its user, or the anonymous participant who told it."""
    actor = _actor(subject)
    if actor.is_registered:
        return dream.author_id == actor.user.pk
    return actor.anonymous_key is not None and dream.anonymous_key == (
        actor.anonymous_key
    )


@rules.predicate
def dream_is_closed(subject, dream: Dream) -> bool:
    """Merged or not pursued: the dream takes no more supports."""
    return dream.status in CLOSED_STATUSES


# --- Rules -----------------------------------------------------------------------

may_participate = is_registered | city_allows_anonymous

RULES = {
    "ideas.triage_dream": is_triager,
    "ideas.link_dream": is_triager,
    # Staff correct a dream's recorded language (there is no dream editing yet).
    "ideas.correct_dream_language": is_triager,
    "ideas.merge_dreams": triages_both,
    "ideas.tell_dream": may_participate,
    # People cannot support their own dream: it already says they want it.
    "ideas.support_dream": may_participate & ~is_dream_author & ~dream_is_closed,
}

for _name, _rule in RULES.items():
    # As permissions (`rules.has_perm`, `{% has_perm %}`) and as rules
    # (`{% test_rule %}`, without the superuser shortcut of `user.has_perm`).
    rules.add_perm(_name, _rule)
    rules.add_rule(_name, _rule)
