"""Who may do what with customer panels: named rules (`rules`), asked by the
panel services, views and templates alike.

- `workshops.create_panel` takes a `City`: the city's facilitators;
- `workshops.run_panel` takes a `Panel`: the city's facilitators (draw, meetings,
  attendance, the pool file, ending the term);
- `workshops.apply_to_panel` takes a `Panel`: anyone signed in, while
  applications are open;
- `workshops.join_panel_meeting` takes a `PanelMeeting`: the panel's confirmed
  members while the term and the meeting's workshop are open.
"""

from __future__ import annotations

import rules

from accounts.rules import is_facilitator, is_signed_in
from workshops.panels.models import ApplicationStatus, Panel, PanelMeeting


@rules.predicate
def applications_are_open(user, panel: Panel) -> bool:
    return panel.applications_open


@rules.predicate
def is_panel_member(user, meeting: PanelMeeting) -> bool:
    """Confirmed member of the meeting's panel (remembered per meeting object)."""
    if user is None or not user.is_authenticated:
        return False
    known = meeting.__dict__.setdefault("_member_of", {})
    if user.pk not in known:
        known[user.pk] = meeting.panel.applications.filter(
            user=user, status=ApplicationStatus.MEMBER
        ).exists()
    return known[user.pk]


@rules.predicate
def meeting_is_open(user, meeting: PanelMeeting) -> bool:
    return not meeting.panel.has_ended and not meeting.workshop.is_closed


RULES = {
    "workshops.create_panel": is_facilitator,
    "workshops.run_panel": is_facilitator,
    "workshops.apply_to_panel": is_signed_in & applications_are_open,
    "workshops.join_panel_meeting": is_panel_member & meeting_is_open,
}

for _name, _rule in RULES.items():
    rules.add_perm(_name, _rule)
    rules.add_rule(_name, _rule)
