"""Named permissions for planned services and the places and topics they point to,
asked by services, admin views and the admin's buttons alike
(`rules.has_perm(name, user, obj)`).

The object is a `PlannedServicePage`, a `core.District`, a `core.PopulationFigure`
or a `core.City` (for adding one to that city); `accounts.rules.is_editor` reads
its city. Who may read, edit and report comments on a service is
`discussions.rules`.

The rules for core's districts, topics and population figures live here rather
than in core (which knows no roles) or cms (which no app may import): this is
the lowest app that knows the editor role, so every app above it (ideas,
workshops, opendata, cms) can ask the same rule.
"""

import rules

from accounts.models import Role
from accounts.roles import has_role_anywhere
from accounts.rules import is_editor


@rules.predicate
def is_editor_somewhere(user) -> bool:
    return has_role_anywhere(user, Role.EDITOR)


# Move the lifecycle (open, closed, withdrawn …) from the admin.
rules.add_perm("participation.set_service_status", is_editor)
# Publish the city's answer ("how your input was used") and mail the participants.
rules.add_perm("participation.publish_answer", is_editor)

# A city's districts and population figures are its editors' (site admins hold
# every role); without an object: may the person manage some city's?
rules.add_perm("participation.manage_districts", is_editor)
rules.add_perm("participation.manage_population", is_editor)
rules.add_perm("participation.manage_places_somewhere", is_editor_somewhere)
# Topics are shared by every city: any editor may add and rename one; deleting
# one takes it off every city's services and dreams, so only site admins may.
rules.add_perm("participation.change_topic", is_editor_somewhere)
rules.add_perm("participation.delete_topic", rules.is_active & rules.is_superuser)
