"""Named permissions for planned services, asked by services, admin views and the
admin's buttons alike (`rules.has_perm(name, user, page)`).

The object is a `PlannedServicePage`; `accounts.rules.is_editor` reads its stored
city. Who may read, edit and report comments on a service is `discussions.rules`.
"""

import rules

from accounts.rules import is_editor

# Move the lifecycle (open, closed, withdrawn …) from the admin.
rules.add_perm("participation.set_service_status", is_editor)
# Publish the city's answer ("how your input was used") and mail the participants.
rules.add_perm("participation.publish_answer", is_editor)
