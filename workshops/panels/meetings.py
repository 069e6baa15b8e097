"""Panel meetings and attendance: a meeting is a workshop of any method, online
or in a place; confirmed members join it without a code; facilitators record
who came. Re-exported by `workshops.panels.services`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from core.locking import lock_row
from core.sanitize import clean_text
from workshops.models import Joining, Participant, Workshop
from workshops.panels import selectors
from workshops.panels.models import Panel, PanelAttendance, PanelMeeting
from workshops.panels.services import _locked, _require, _require_runner
from workshops.services import workshop_create


@transaction.atomic
def panel_meeting_add(
    *,
    user,
    panel: Panel,
    title: str,
    method: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    online: bool = False,
    place: str = "",
    language: str | None = None,
) -> PanelMeeting:
    """A meeting of the panel: a workshop of any method, online or in a place.
    Members join it from the panel page; its join code is closed to others."""
    _require_runner(user, panel)
    panel = _locked(panel)
    if panel.has_ended:
        raise Invalid(_("The panel's term has ended."), code="ended")
    place = clean_text(place, multiline=False)[:200]
    if not online and not place:
        raise Invalid(
            _("Say where the meeting is, or that it is online."), field="place"
        )
    workshop = workshop_create(
        user=user,
        city=panel.city,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        method=method,
        description=panel.description,
        language=language or (panel.languages or ["fi"])[0],
        joining=Joining.CLOSED,
    )
    return PanelMeeting.objects.create(
        panel=panel, workshop=workshop, online=online, place=place
    )


@transaction.atomic
def panel_meeting_join(*, user, meeting: PanelMeeting) -> Participant:
    """A confirmed member joins the meeting's workshop, without its code."""
    _require(
        "workshops.join_panel_meeting",
        user,
        meeting,
        _("Only the panel's confirmed members join its meetings here."),
    )
    workshop = lock_row(Workshop, meeting.workshop_id)
    participant = workshop.participants.filter(user=user).first()
    if participant is not None:
        if participant.removed_at is not None:
            raise Forbidden(_("You were removed from this workshop."), code="removed")
        return participant
    return Participant.objects.create(
        workshop=workshop,
        user=user,
        display_name=clean_text(user.display_name, multiline=False)[:60] or _("Member"),
    )


@transaction.atomic
def attendance_record(*, user, meeting: PanelMeeting, present: Iterable[int]) -> int:
    """Record who of the panel's members came (`present`: application ids; the
    rest are recorded absent). Returns how many were present."""
    _require_runner(user, meeting.panel)
    _locked(meeting.panel)
    members = {a.pk for a in selectors.member_list(panel=meeting.panel)}
    present = set(present)
    if present - members:
        raise Invalid(_("Only the panel's members can attend."), field="present")
    for application_id in members:
        PanelAttendance.objects.update_or_create(
            meeting=meeting,
            application_id=application_id,
            defaults={"present": application_id in present},
        )
    return len(present)
