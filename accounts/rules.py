"""Role predicates for the `rules` library, wrapping `has_city_role`.

The object may be a `City` (or its id) or anything with a `.city` (or
`.city_id`), so other apps compose their named rules from them, for example::

    rules.add_perm("workshops.run_workshop", is_facilitator)

Used by `discussions.rules` (`is_moderator`), `participation.rules` (`is_editor`)
and `workshops.rules` (`is_facilitator`).
"""

import rules

from accounts.models import Role
from accounts.roles import has_city_role, has_role_anywhere
from core.models import City


def _city_of(obj) -> City | int | None:
    if obj is None or isinstance(obj, City | int):
        return obj
    city = getattr(obj, "city", None)
    if city is not None:
        return city
    return getattr(obj, "city_id", None)


def _role_predicate(role: Role) -> rules.Predicate:
    @rules.predicate(name=f"is_{role.value}")
    def check(user, obj=None) -> bool:
        city = _city_of(obj)
        if city is None:
            # Without an object only site admins pass (they hold every role).
            return bool(user and user.is_active and user.is_superuser)
        return has_city_role(user, city, role)

    return check


is_editor = _role_predicate(Role.EDITOR)
is_moderator = _role_predicate(Role.MODERATOR)
is_facilitator = _role_predicate(Role.FACILITATOR)
is_feedback_handler = _role_predicate(Role.FEEDBACK_HANDLER)


# Without an object: does the person hold the role in any city? (The header asks.)
@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _role_anywhere(*roles: Role) -> rules.Predicate:
    name = "is_" + "_or_".join(role.value for role in roles) + "_somewhere"

    @rules.predicate(name=name)
    def check(user) -> bool:
        return has_role_anywhere(user, *roles)

    return check


is_facilitator_somewhere = _role_anywhere(Role.FACILITATOR)
is_moderator_somewhere = _role_anywhere(Role.MODERATOR)
is_feedback_handler_somewhere = _role_anywhere(Role.FEEDBACK_HANDLER)
is_staff_or_editor = is_signed_in & (
    rules.is_staff | rules.is_superuser | _role_anywhere(Role.EDITOR)
)

rules.add_rule("accounts.is_signed_in", is_signed_in)
rules.add_rule("accounts.is_facilitator_somewhere", is_facilitator_somewhere)
rules.add_rule("accounts.is_moderator_somewhere", is_moderator_somewhere)
rules.add_rule("accounts.is_feedback_handler_somewhere", is_feedback_handler_somewhere)
rules.add_rule("accounts.may_use_admin", is_staff_or_editor)
