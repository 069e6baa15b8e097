"""The shared values an editor changed, carried in a planned service's revision.

`PlannedServiceForm` stages the values of the "Participation" tab that differ
from the shared `ServiceState` on the page; a revision keeps them under
REVISION_STATE_KEY, and the page they come back on stages them again, so the edit
form shows the draft's values and publishing the revision writes them into the
state (`PlannedServicePage.save`). `participation.services.service_published`
then removes them from the revision.
"""

from typing import Any

REVISION_STATE_KEY = "service_state"


class StagedStateRevisions:
    """Mixed into `PlannedServicePage` before `Page`."""

    def serializable_data(self) -> dict[str, Any]:
        data = super().serializable_data()
        pending = self.__dict__.get("_state_pending")
        if pending:
            data[REVISION_STATE_KEY] = {
                name: value.isoformat() if hasattr(value, "isoformat") else value
                for name, value in pending.items()
            }
        return data

    def with_content_json(self, content: dict[str, Any]):
        from participation.models import STATE_FIELDS, ServiceState

        content = dict(content)
        staged = content.pop(REVISION_STATE_KEY, None) or {}
        page = super().with_content_json(content)
        pending = {
            name: ServiceState._meta.get_field(name).to_python(value)
            for name, value in staged.items()
            if name in STATE_FIELDS
        }
        if pending:
            page.__dict__["_state_pending"] = pending
        return page
