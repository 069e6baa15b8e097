"""Who may do what with feedback: the app's named permissions (`rules`).

Services, views, the handlers' admin, templates (`{% load rules %}`) and the API
ask these rules; no decision here is coded anywhere else. Objects they take:

- `feedback.handle_item`: a `FeedbackItem` or a `City`: feedback handlers of that
  city (site admins: all); also, for an answer the advice desk published into
  the knowledge base (channel `advice`), the city's advisors and their
  supervisors, who answer and correct it from the desk.
  `feedback.handle_somewhere` (no object): handlers of any city (the admin
  menu and the header link).
- `feedback.view_item`: a `FeedbackItem`: anyone when it is public, its handlers
  always. Private, pending, redacted originals and withdrawn items are the
  handlers' only.
- `feedback.give_feedback` (a `FeedbackService`) and `feedback.support_item` (a
  `FeedbackItem`): the subject is the acting `Actor` (anonymous visitors too).
- `feedback.withdraw_item`: a `FeedbackItem`: its signed-in sender (the holder of
  the follow-up link is checked by the service with the token itself).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import QuerySet

from accounts.models import Role
from accounts.roles import cities_with_role, has_city_role
from core.actors import Actor
from core.models import City
from feedback.models import Channel, FeedbackItem, FeedbackService, Status


def _city_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, City):
        return obj.pk
    return getattr(obj, "city_id", None)


def handler_cities(user) -> QuerySet[City]:
    """The cities whose feedback `user` handles: `handle_item` as a query."""
    return cities_with_role(user, Role.FEEDBACK_HANDLER)


def _actor(subject: Any) -> Actor:
    if isinstance(subject, Actor):
        return subject
    registered = subject is not None and getattr(subject, "is_authenticated", False)
    return Actor(user=subject if registered else None)


@rules.predicate
def is_handler(user, obj=None) -> bool:
    """A feedback handler of the object's city (site admins: every city)."""
    city_id = _city_id(obj)
    if city_id is None:
        return bool(user and user.is_active and user.is_superuser)
    return has_city_role(user, city_id, Role.FEEDBACK_HANDLER)


@rules.predicate
def is_desk_answer_of_advisor(user, obj=None) -> bool:
    """A knowledge-base answer published from the advice desk, for the advisors
    (and desk supervisors) of its city: no other item, no city as a whole."""
    return (
        isinstance(obj, FeedbackItem)
        and obj.channel == Channel.ADVICE
        and has_city_role(user, obj.city_id, Role.ADVISOR, Role.ADVICE_SUPERVISOR)
    )


@rules.predicate
def is_handler_somewhere(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or handler_cities(user).exists()


@rules.predicate
def is_public(subject, item: FeedbackItem) -> bool:
    return item.is_public


@rules.predicate
def handles_it(subject, item: FeedbackItem) -> bool:
    return is_handler(_actor(subject).user, item)


@rules.predicate
def service_takes_feedback(subject, service: FeedbackService) -> bool:
    return service.is_active


@rules.predicate
def is_open_for_support(subject, item: FeedbackItem) -> bool:
    """Public and not merged into another: "me too" goes to the one that stays."""
    return item.is_public and item.merged_into_id is None


@rules.predicate
def is_sender(subject, item: FeedbackItem) -> bool:
    actor = _actor(subject)
    if actor.is_registered:
        return item.author_id == actor.user.pk
    return actor.anonymous_key is not None and item.anonymous_key == (
        actor.anonymous_key
    )


@rules.predicate
def may_still_withdraw(subject, item: FeedbackItem) -> bool:
    """Not yet withdrawn and not yet answered as done."""
    return item.withdrawn_at is None and item.status != Status.DONE


@rules.predicate
def photo_is_shown(subject, photo) -> bool:
    """Approved by a handler, of a public item."""
    return photo.approved and photo.item.is_public


@rules.predicate
def sent_the_photos_item(subject, photo) -> bool:
    return is_sender.test(subject, photo.item)


@rules.predicate
def handles_the_photos_item(subject, photo) -> bool:
    return is_handler(_actor(subject).user, photo.item) or (
        is_desk_answer_of_advisor(_actor(subject).user, photo.item)
    )


RULES = {
    # A FeedbackPhoto: shown to anyone once approved on a public item; to its
    # item's sender (signed in or the same browser) and handlers always. The
    # follow-up token (`?t=`) is a capability checked in `feedback.photos`.
    "feedback.view_photo": photo_is_shown
    | sent_the_photos_item
    | handles_the_photos_item,
    "feedback.handle_item": is_handler | is_desk_answer_of_advisor,
    "feedback.handle_somewhere": is_handler_somewhere,
    "feedback.view_item": is_public | handles_it,
    "feedback.give_feedback": service_takes_feedback,
    "feedback.support_item": is_open_for_support,
    "feedback.withdraw_item": is_sender & may_still_withdraw,
}

for _name, _predicate in RULES.items():
    rules.add_rule(_name, _predicate)
    rules.add_perm(_name, _predicate)
