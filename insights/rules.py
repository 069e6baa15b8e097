"""Who may see a city's insight: its editors, moderators, facilitators, feedback
handlers and advice desk supervisors (site admins hold every role).

The object is a `City` or anything with a `.city` (a planned service, a
workshop); the dashboards, the header and the CSV downloads ask the same rule.
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from accounts.models import Role
from accounts.roles import cities_with_role, has_city_role, has_role_anywhere
from core.models import City

INSIGHT_ROLES = (
    Role.EDITOR,
    Role.MODERATOR,
    Role.FACILITATOR,
    Role.FEEDBACK_HANDLER,
    Role.ADVICE_SUPERVISOR,
)


@rules.predicate
def sees_insight(user, obj=None) -> bool:
    city = obj if obj is None or isinstance(obj, City) else obj.city_id
    if city is None:
        return bool(user and user.is_active and user.is_superuser)
    return has_city_role(user, city, *INSIGHT_ROLES)


@rules.predicate
def sees_insight_somewhere(user) -> bool:
    return has_role_anywhere(user, *INSIGHT_ROLES)


def insight_cities(user) -> QuerySet[City]:
    """The cities whose dashboards `user` may see, by name."""
    return cities_with_role(user, *INSIGHT_ROLES).order_by("name_fi")


rules.add_perm("insights.view_dashboard", sees_insight)
rules.add_rule("insights.view_somewhere", sees_insight_somewhere)
