"""The panels' named rules as role × state matrices."""

from datetime import timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import UserFactory
from tests.workshops.panels.conftest import apply, close
from workshops.panels import services
from workshops.panels.models import Panel, PanelMeeting

pytestmark = pytest.mark.django_db


def test_create_and_run_belong_to_the_citys_facilitators(panel, city, other_city):
    elsewhere = UserFactory()
    role_grant(user=elsewhere, city=other_city, role=Role.FACILITATOR)
    here = UserFactory()
    role_grant(user=here, city=city, role=Role.FACILITATOR)
    resident = UserFactory()
    for user, allowed in (
        (here, True),
        (elsewhere, False),
        (resident, False),
        (AnonymousUser(), False),
    ):
        assert rules.has_perm("workshops.create_panel", user, city) is allowed
        assert rules.has_perm("workshops.run_panel", user, panel) is allowed


@pytest.mark.parametrize(
    ("state", "signed_in", "allowed"),
    [
        ("open", True, True),
        ("open", False, False),
        ("closed", True, False),
        ("ended", True, False),
    ],
)
def test_applying_needs_an_account_and_open_applications(
    panel, state, signed_in, allowed
):
    if state == "closed":
        close(panel)
    elif state == "ended":
        Panel.objects.filter(pk=panel.pk).update(ended_at=timezone.now())
        panel.refresh_from_db()
    user = UserFactory() if signed_in else AnonymousUser()
    assert rules.has_perm("workshops.apply_to_panel", user, panel) is allowed


def test_joining_a_meeting_is_for_confirmed_members_of_an_open_term(panel, facilitator):
    confirmed = apply(panel, {"gender": "male"})
    invited = apply(panel, {"gender": "female"})
    services.panel_draw(user=facilitator, panel=close(panel))
    services.invitation_respond(user=confirmed.user, panel=panel, accept=True)
    meeting = services.panel_meeting_add(
        user=facilitator,
        panel=panel,
        title="Kokous",
        method="keep_change_start",
        starts_at=timezone.now() + timedelta(days=1),
        online=True,
    )

    def may(user) -> bool:
        fresh = PanelMeeting.objects.select_related("panel", "workshop").get(
            pk=meeting.pk
        )
        return rules.has_perm("workshops.join_panel_meeting", user, fresh)

    assert may(confirmed.user)
    assert not may(invited.user)  # not confirmed yet
    assert not may(UserFactory()) and not may(AnonymousUser())
    assert not may(facilitator)  # facilitators open the workshop itself
    services.panel_end(user=facilitator, panel=panel)
    assert not may(confirmed.user)
