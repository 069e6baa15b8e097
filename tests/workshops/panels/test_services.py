"""Panel services: applying, the draw, invitations, replacements, meetings."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Consent
from accounts.services import consent_withdraw
from tests.factories import UserFactory
from tests.workshops.panels.conftest import apply, close
from workshops.models import Participant
from workshops.panels import draw, selectors, services
from workshops.panels.models import Panel, PanelApplication

pytestmark = pytest.mark.django_db


def _pool(panel, districts, n=12):
    """Applicants of every kind: more women and young people than the city has."""
    ages = ["18_29", "18_29", "30_44", "45_64", "65_74", "18_29"]
    genders = ["female", "female", "male"]
    return [
        apply(
            panel,
            {
                "age_band": ages[i % len(ages)],
                "gender": genders[i % len(genders)],
                "district": str(districts[i % 2].pk),
            },
        )
        for i in range(n)
    ]


def test_the_panel_text_is_stored_as_typed_and_the_seed_is_committed(panel):
    assert panel.theme == "Kirjastoraati <script>alert(1)</script>"
    assert panel.seed_hash == draw.seed_hash(panel.seed)
    assert not panel.is_drawn


@pytest.mark.parametrize(
    ("field", "value"),
    [("size", 1), ("size", 500), ("theme", "  "), ("criteria", ["shoe_size"])],
)
def test_a_bad_panel_is_refused_and_nothing_written(facilitator, city, field, value):
    from datetime import date, timedelta

    from django.utils import timezone

    fields = {
        "theme": "Raati",
        "size": 10,
        "term_starts_on": date(2027, 1, 1),
        "term_ends_on": date(2027, 6, 1),
        "applications_close_at": timezone.now() + timedelta(days=1),
        "criteria": ["gender"],
    }
    fields[field] = value
    with pytest.raises(ValidationError):
        services.panel_create(user=facilitator, city=city, **fields)
    assert not Panel.objects.exists()


def test_only_the_citys_facilitators_create_panels(city):
    from datetime import date, timedelta

    from django.utils import timezone

    with pytest.raises(PermissionDenied):
        services.panel_create(
            user=UserFactory(),
            city=city,
            theme="Raati",
            size=5,
            term_starts_on=date(2027, 1, 1),
            term_ends_on=date(2027, 6, 1),
            applications_close_at=timezone.now() + timedelta(days=1),
            criteria=[],
        )


def test_targets_come_from_the_latest_population_figures(panel, districts):
    targets = selectors.panel_targets(panel=panel)
    assert targets["gender"] == {"female": 0.5, "male": 0.5}
    assert targets["age_band"]["30_44"] == 0.3
    assert targets["district"] == {str(districts[0].pk): 0.6, str(districts[1].pk): 0.4}


def test_applying_gives_the_selection_consent_only(panel):
    user = UserFactory()
    application = apply(panel, {"gender": "male", "age_band": ""}, user=user)
    assert application.answers == {"gender": "male"}
    purposes = set(
        Consent.objects.filter(user=user, withdrawn_at=None).values_list(
            "purpose", flat=True
        )
    )
    assert purposes == {"panel_selection"}  # not the statistics purposes


@pytest.mark.parametrize(
    ("answers", "consent", "field"),
    [
        ({"gender": "robot"}, True, "gender"),
        ({"district": "999999"}, True, "district"),
        ({"age_band": "under_18"}, True, "age_band"),
        ({"first_language": "fi"}, True, "first_language"),  # not asked
        ({"gender": "male"}, False, "consent"),
    ],
)
def test_a_bad_application_is_refused_with_its_field(panel, answers, consent, field):
    user = UserFactory()
    with pytest.raises(ValidationError) as caught:
        services.panel_apply(
            user=user, panel=panel, answers=answers, availability=[], consent=consent
        )
    assert field in caught.value.message_dict
    assert not PanelApplication.objects.exists()
    assert not Consent.objects.filter(user=user).exists()


def test_applying_after_the_close_is_refused(panel):
    close(panel)
    with pytest.raises(PermissionDenied):
        apply(panel, {"gender": "male"})


def test_withdrawing_before_the_draw_erases_the_details(panel):
    application = apply(panel, {"gender": "male"})
    services.application_withdraw(user=application.user, panel=panel)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.answers == {}
    with pytest.raises(ValidationError):
        services.application_withdraw(user=application.user, panel=panel)


def test_the_draw_is_refused_while_applications_are_open(panel, facilitator):
    apply(panel, {"gender": "male"})
    with pytest.raises(ValidationError) as caught:
        services.panel_draw(user=facilitator, panel=panel)
    assert caught.value.code == "applications_open"


def test_the_draw_never_selects_a_withdrawn_applicant_or_one_without_consent(
    panel, facilitator, districts
):
    applications = _pool(panel, districts, n=10)
    withdrawn, no_consent = applications[0], applications[1]
    services.application_withdraw(user=withdrawn.user, panel=panel)
    consent_withdraw(user=no_consent.user, purpose="panel_selection")
    services.panel_draw(user=facilitator, panel=close(panel))
    picked = set(
        PanelApplication.objects.exclude(
            invited_at=None, reserve_rank=None
        ).values_list("pk", flat=True)
    )
    assert withdrawn.pk not in picked and no_consent.pk not in picked
    panel.refresh_from_db()
    assert panel.pool_size == 8


def test_the_draw_invites_by_email_and_publishes_what_reproduces_it(
    panel, facilitator, districts, django_capture_on_commit_callbacks
):
    _pool(panel, districts, n=12)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.panel_draw(user=facilitator, panel=close(panel))
    panel.refresh_from_db()
    invited = list(PanelApplication.objects.filter(status="invited"))
    assert len(invited) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.user.email for a in invited)
    assert "/panels/" in mail.outbox[0].body
    # An auditor with the pool file and the seed gets the same members.
    pool = [draw.Applicant(a["id"], a["strata"]) for a in panel.pool]
    assert draw.pool_hash(pool) == panel.pool_hash
    again = draw.draw(
        applicants=pool, targets=panel.targets, size=panel.size, seed=panel.seed
    )
    assert set(again.selected) == {str(a.pseudonym) for a in invited}
    reserve = PanelApplication.objects.exclude(reserve_rank=None).order_by(
        "reserve_rank"
    )
    assert [str(a.pseudonym) for a in reserve] == again.reserve
    assert panel.fit is not None and panel.algorithm == "greedy-quota/1"
    with pytest.raises(ValidationError):
        services.panel_draw(user=facilitator, panel=panel)


def test_a_decline_is_replaced_from_the_reserve_keeping_the_strata(
    panel, facilitator, districts, django_capture_on_commit_callbacks
):
    # Two groups only (women and men of one age and district), so the draw of
    # four and its reserve of four both hold each, whatever the panel's random
    # seed: some drawn person always has a reserve with the same groups.
    for i in range(16):
        apply(
            panel,
            {
                "age_band": "30_44",
                "gender": ("female", "male")[i % 2],
                "district": str(districts[0].pk),
            },
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.panel_draw(user=facilitator, panel=close(panel))
    panel.refresh_from_db()
    reserve = list(selectors.reserve_list(panel=panel))
    for leaver in PanelApplication.objects.filter(status="invited").order_by("pk"):
        strata = selectors.application_strata(leaver, panel.targets)
        same = [
            a
            for a in reserve
            if selectors.application_strata(a, panel.targets) == strata
        ]
        if same:
            break
    assert same, "the generated pool has a reserve with the same groups"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_respond(user=leaver.user, panel=panel, accept=False)
    replacement = PanelApplication.objects.get(pk=same[0].pk)
    assert replacement.status == "invited" and replacement.reserve_rank is None
    assert [m.to[0] for m in mail.outbox] == [replacement.user.email]
    assert PanelApplication.objects.filter(status="invited").count() == 4


def test_a_member_who_withdraws_after_confirming_is_replaced(
    panel, facilitator, districts
):
    _pool(panel, districts, n=12)
    services.panel_draw(user=facilitator, panel=close(panel))
    member = PanelApplication.objects.filter(status="invited").first()
    services.invitation_respond(user=member.user, panel=panel, accept=True)
    member.refresh_from_db()
    assert member.status == "member"
    services.application_withdraw(user=member.user, panel=panel)
    assert (
        PanelApplication.objects.filter(status__in=["invited", "member"]).count() == 4
    )
    member.refresh_from_db()
    assert member.status == "withdrawn"


def test_members_join_meetings_without_a_code_and_attendance_is_recorded(
    panel, facilitator, districts
):
    from django.utils import timezone

    _pool(panel, districts, n=6)
    services.panel_draw(user=facilitator, panel=close(panel))
    meeting = services.panel_meeting_add(
        user=facilitator,
        panel=panel,
        title="Ensimmäinen kokous",
        method="customer_panel",
        starts_at=timezone.now(),
        online=True,
    )
    assert meeting.workshop.joining == "closed"
    invited = PanelApplication.objects.filter(status="invited").first()
    with pytest.raises(PermissionDenied):  # not confirmed yet
        services.panel_meeting_join(user=invited.user, meeting=meeting)
    services.invitation_respond(user=invited.user, panel=panel, accept=True)
    meeting = type(meeting).objects.get(pk=meeting.pk)
    participant = services.panel_meeting_join(user=invited.user, meeting=meeting)
    assert participant.workshop_id == meeting.workshop_id
    assert Participant.objects.filter(user=invited.user).count() == 1
    with pytest.raises(PermissionDenied):
        services.panel_meeting_join(user=UserFactory(), meeting=meeting)
    assert (
        services.attendance_record(
            user=facilitator, meeting=meeting, present=[invited.pk]
        )
        == 1
    )
    with pytest.raises(ValidationError):
        services.attendance_record(user=facilitator, meeting=meeting, present=[-1])
    services.panel_end(user=facilitator, panel=panel)
    meeting = type(meeting).objects.get(pk=meeting.pk)
    with pytest.raises(PermissionDenied):
        services.panel_meeting_join(user=invited.user, meeting=meeting)


def test_a_meeting_needs_a_place_or_online(panel, facilitator):
    from django.utils import timezone

    with pytest.raises(ValidationError):
        services.panel_meeting_add(
            user=facilitator,
            panel=panel,
            title="Kokous",
            method="brainstorming",
            starts_at=timezone.now(),
        )
    assert not panel.meetings.exists()


def test_a_custom_criterion_adds_targets_and_a_question(panel, facilitator):
    criterion = services.panel_criterion_add(
        user=facilitator,
        panel=panel,
        question="Käytätkö kirjastoa?",
        options=services.parse_options("Viikoittain = 30\nHarvemmin = 70"),
    )
    targets = selectors.panel_targets(panel=panel)
    assert targets[criterion.key] == {"viikoittain": 0.3, "harvemmin": 0.7}
    with pytest.raises(ValidationError):
        services.parse_options("Viikoittain 30")
    with pytest.raises(ValidationError):
        services.panel_criterion_add(
            user=facilitator,
            panel=panel,
            question="Q",
            options=[("a", 10), ("b", 10)],
        )


def test_the_personal_data_export_has_the_application(panel):
    from accounts.selectors import personal_data_export

    application = apply(panel, {"gender": "male"})
    [row] = personal_data_export(application.user)["panels"]
    assert row["answers"] == {"gender": "male"} and row["status"] == "applied"
    assert personal_data_export(UserFactory())["panels"] == []


def test_a_facilitator_gives_an_unanswered_place_to_a_reserve(
    panel, facilitator, districts
):
    _pool(panel, districts, n=10)
    services.panel_draw(user=facilitator, panel=close(panel))
    silent = PanelApplication.objects.filter(status="invited").first()
    with pytest.raises(PermissionDenied):
        services.member_release(user=silent.user, panel=panel, application_id=silent.pk)
    services.member_release(user=facilitator, panel=panel, application_id=silent.pk)
    silent.refresh_from_db()
    assert silent.status == "declined"
    assert PanelApplication.objects.filter(status="invited").count() == 4
    reserve = PanelApplication.objects.exclude(reserve_rank=None).first()
    with pytest.raises(ValidationError):  # not drawn: nothing to release
        services.member_release(
            user=facilitator, panel=panel, application_id=reserve.pk
        )
