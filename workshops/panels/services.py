"""Every write to customer panels, one function per use case.

Each locks the panel row first (`core.locking`), so applications, the draw and
replacements of one panel happen one at a time, re-checks on the fresh row, and
refuses with a `core.errors` service error writing nothing. E-mails (invitations)
go to the outbox in the same transaction and are sent on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import rules
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import AgeBand, ConsentPurpose, FirstLanguage, Gender
from accounts.services import consent_give
from core import searchables
from core.errors import Forbidden, Invalid
from core.locking import lock_row
from core.mail import outbox_kick, outbox_mail
from core.models import City, District, OutgoingMail
from core.sanitize import clean_text
from notifications.services import follow_default
from workshops.panels import draw, selectors
from workshops.panels.models import (
    CUSTOM_OPTIONS_MAX,
    PANEL_SIZE_MAX,
    PANEL_SIZE_MIN,
    ApplicationStatus,
    Availability,
    Criterion,
    Panel,
    PanelApplication,
    PanelCustomCriterion,
)

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _require(perm: str, user, obj, message: str) -> None:
    if not rules.has_perm(perm, user, obj):
        raise Forbidden(message)


def _require_runner(user, panel: Panel) -> None:
    _require(
        "workshops.run_panel",
        user,
        panel,
        _("Only the city's facilitators may do this."),
    )


def _locked(panel: Panel) -> Panel:
    current = lock_row(Panel, panel.pk)
    if current is None:
        raise Invalid(_("This panel no longer exists."), code="not_found")
    return current


# --- Panels ----------------------------------------------------------------------


@transaction.atomic
def panel_create(
    *,
    user,
    city: City,
    theme: str,
    size: int,
    term_starts_on: date,
    term_ends_on: date,
    applications_close_at: datetime,
    criteria: Iterable[str],
    languages: Iterable[str] = ("fi",),
    description: str = "",
    accessibility: str = "",
    interpretation: str = "",
) -> Panel:
    """Create a panel; its seed is fixed now and only the seed's hash is shown
    until the draw."""
    _require(
        "workshops.create_panel",
        user,
        city,
        _("Only the city's facilitators may create panels."),
    )
    theme = clean_text(theme, multiline=False)
    if not theme:
        raise Invalid(_("Give the panel a theme."), field="theme", code="empty")
    if not PANEL_SIZE_MIN <= size <= PANEL_SIZE_MAX:
        raise Invalid(
            _("A panel has from %(min)d to %(max)d members.")
            % {"min": PANEL_SIZE_MIN, "max": PANEL_SIZE_MAX},
            field="size",
        )
    if term_ends_on <= term_starts_on:
        raise Invalid(_("The term must end after it starts."), field="term_ends_on")
    if applications_close_at <= timezone.now():
        raise Invalid(
            _("Applications must close in the future."), field="applications_close_at"
        )
    criteria = list(dict.fromkeys(criteria))
    if any(c not in Criterion.values for c in criteria):
        raise Invalid(_("Unknown criterion."), field="criteria")
    languages = list(dict.fromkeys(languages))
    if not languages or any(code not in LANGUAGE_CODES for code in languages):
        raise Invalid(_("Choose the meetings' languages."), field="languages")
    panel = Panel(
        city=city,
        theme=theme,
        description=clean_text(description),
        size=size,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        applications_close_at=applications_close_at,
        criteria=criteria,
        languages=languages,
        accessibility=clean_text(accessibility),
        interpretation=clean_text(interpretation),
        created_by=user,
    )
    panel.seed_hash = draw.seed_hash(panel.seed)
    panel.save()
    searchables.reindex_on_commit("panel", panel.pk)
    return panel


def parse_options(text: str) -> list[tuple[str, float]]:
    """Lines "label = percent" -> [(label, percent)]; refuses what does not parse."""
    options = []
    for line in clean_text(text).split("\n"):
        if not line.strip():
            continue
        label, sep, number = line.rpartition("=")
        try:
            percent = float(number.strip().rstrip("%").replace(",", "."))
        except ValueError:
            percent = -1.0
        label = label.strip()
        if not sep or not label or not 0 <= percent <= 100:
            raise Invalid(
                _("Write each option on its own line as “option = percent”."),
                field="options",
                code="invalid",
            )
        options.append((label[:100], percent))
    return options


@transaction.atomic
def panel_criterion_add(
    *, user, panel: Panel, question: str, options: list[tuple[str, float]]
) -> PanelCustomCriterion:
    """Add a criterion of the city's own, with each option's target percentage."""
    _require_runner(user, panel)
    panel = _locked(panel)
    if panel.is_drawn:
        raise Invalid(_("The panel has been drawn already."), code="drawn")
    question = clean_text(question, multiline=False)[:200]
    if not question:
        raise Invalid(_("Write the question."), field="question", code="empty")
    if not 2 <= len(options) <= CUSTOM_OPTIONS_MAX:
        raise Invalid(
            _("Give from 2 to %(max)d options.") % {"max": CUSTOM_OPTIONS_MAX},
            field="options",
        )
    total = sum(percent for _label, percent in options)
    if abs(total - 100) > 0.5:
        raise Invalid(
            _("The options' percentages must add up to 100 (now %(total)s).")
            % {"total": f"{total:g}"},
            field="options",
        )
    values, stored = set(), []
    for index, (label, percent) in enumerate(options):
        value = slugify(label)[:40] or f"option-{index + 1}"
        while value in values:
            value = f"{value}-{index + 1}"
        values.add(value)
        stored.append({"value": value, "label": label, "share": percent / total})
    return PanelCustomCriterion.objects.create(
        panel=panel,
        question=question,
        options=stored,
        position=panel.custom_criteria.count(),
    )


@transaction.atomic
def panel_close_applications(*, user, panel: Panel) -> Panel:
    """Close applications now (before the announced time)."""
    _require_runner(user, panel)
    panel = _locked(panel)
    now = timezone.now()
    if panel.applications_close_at > now:
        panel.applications_close_at = now
        panel.save(update_fields=["applications_close_at", "updated_at"])
    return panel


@transaction.atomic
def panel_end(*, user, panel: Panel) -> Panel:
    """End the panel's term: no more meetings, replacements or joining."""
    _require_runner(user, panel)
    panel = _locked(panel)
    if panel.ended_at is None:
        panel.ended_at = timezone.now()
        panel.save(update_fields=["ended_at", "updated_at"])
    return panel


# --- Applying --------------------------------------------------------------------


def _allowed_values(panel: Panel) -> dict[str, set[str]]:
    allowed: dict[str, set[str]] = {}
    for criterion in panel.criteria:
        if criterion == Criterion.AGE_BAND:
            allowed[criterion] = set(AgeBand.values) - {AgeBand.UNDER_18.value}
        elif criterion == Criterion.GENDER:
            allowed[criterion] = set(Gender.values)
        elif criterion == Criterion.FIRST_LANGUAGE:
            allowed[criterion] = set(FirstLanguage.values)
        elif criterion == Criterion.DISTRICT:
            allowed[criterion] = {
                str(pk)
                for pk in District.objects.filter(city_id=panel.city_id).values_list(
                    "pk", flat=True
                )
            }
    for custom in panel.custom_criteria.all():
        allowed[custom.key] = {o["value"] for o in custom.options}
    return allowed


def _clean_answers(panel: Panel, answers: dict[str, str]) -> dict[str, str]:
    allowed = _allowed_values(panel)
    cleaned = {}
    for key, value in answers.items():
        value = str(value or "")
        if not value:
            continue  # voluntary: not given
        if key == Criterion.AGE_BAND and value == AgeBand.UNDER_18:
            raise Invalid(
                _("Panels take members aged 18 or over."),
                field=key,
                code="under_18",
            )
        if key not in allowed or value not in allowed[key]:
            raise Invalid(_("Choose one of the offered options."), field=key)
        cleaned[key] = value
    return cleaned


@transaction.atomic
def panel_apply(
    *,
    user,
    panel: Panel,
    answers: dict[str, str],
    availability: Iterable[str],
    consent: bool,
) -> PanelApplication:
    """Apply (or change one's application) while applications are open.

    The background given here is used for the draw only, under the consent
    `panel_selection`, which applying gives; it is not the statistics details
    of the person's profile."""
    panel = _locked(panel)
    _require(
        "workshops.apply_to_panel",
        user,
        panel,
        _("Applications to this panel are closed."),
    )
    if not consent:
        raise Invalid(
            _("Tick the consent box: the details are used only to select the panel."),
            field="consent",
            code="no_consent",
        )
    availability = list(dict.fromkeys(availability))
    if any(value not in Availability.values for value in availability):
        raise Invalid(_("Choose one of the offered options."), field="availability")
    cleaned = _clean_answers(panel, answers)
    consent_give(user=user, purpose=ConsentPurpose.PANEL_SELECTION)
    application = panel.applications.filter(user=user).first()
    if application is None:
        application = PanelApplication(panel=panel, user=user)
    application.answers = cleaned
    application.availability = availability
    application.status = ApplicationStatus.APPLIED
    application.withdrawn_at = None
    application.save()
    follow_default(user=user, target=panel)  # a daily digest unless chosen
    return application


def _invite(application: PanelApplication, now: datetime) -> OutgoingMail:
    application.status = ApplicationStatus.INVITED
    application.reserve_rank = None
    application.invited_at = now
    return outbox_mail(
        application.user,
        "workshops/panels/email/invited.txt",
        {
            "panel": application.panel,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("workshops:panel_apply", args=[application.panel_id]),
        },
    )


def _refit(panel: Panel) -> None:
    members = [
        selectors.application_strata(a, panel.targets)
        for a in panel.applications.filter(status__in=("invited", "member"))
    ]
    panel.fit = draw.fit(members, panel.targets)
    panel.save(update_fields=["fit", "updated_at"])


def _replace(panel: Panel, leaver: PanelApplication) -> PanelApplication | None:
    """Invite the reserve who keeps the strata (`draw.replacement`)."""
    if panel.has_ended:
        return None
    targets = panel.targets
    reserve = list(
        selectors.eligible_applications(panel=panel)
        .filter(reserve_rank__isnull=False)
        .select_related("user", "panel")
        .order_by("reserve_rank")
    )
    members = [
        selectors.application_strata(a, targets)
        for a in panel.applications.filter(status__in=("invited", "member")).exclude(
            pk=leaver.pk
        )
    ]
    chosen_id = draw.replacement(
        leaver=selectors.application_strata(leaver, targets),
        members=members,
        reserve=[
            (str(a.pseudonym), selectors.application_strata(a, targets))
            for a in reserve
        ],
        targets=targets,
        size=panel.size,
    )
    if chosen_id is None:
        return None
    chosen = next(a for a in reserve if str(a.pseudonym) == chosen_id)
    mail = _invite(chosen, timezone.now())
    chosen.save()
    mail.save()
    transaction.on_commit(outbox_kick)
    return chosen


def _leave(panel: Panel, application: PanelApplication, status: str) -> None:
    was_drawn = application.is_drawn
    application.status = status
    application.reserve_rank = None
    if status == ApplicationStatus.WITHDRAWN:
        application.withdrawn_at = timezone.now()
        # Nothing kept that the draw no longer needs.
        if not panel.is_drawn:
            application.answers = {}
        application.availability = []
    application.save()
    if was_drawn and panel.is_drawn:
        _replace(panel, application)
        _refit(panel)


@transaction.atomic
def application_withdraw(*, user, panel: Panel) -> PanelApplication:
    """Withdraw one's application, before or after selection; a drawn member
    is replaced from the reserve."""
    panel = _locked(panel)
    application = panel.applications.filter(user=user).first()
    if application is None or application.status in (
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.DECLINED,
    ):
        raise Invalid(_("You have no application to withdraw."), code="not_found")
    _leave(panel, application, ApplicationStatus.WITHDRAWN)
    return application


@transaction.atomic
def invitation_respond(*, user, panel: Panel, accept: bool) -> PanelApplication:
    """Confirm or decline an invitation; a decline is replaced from the reserve."""
    panel = _locked(panel)
    application = panel.applications.filter(user=user).first()
    if application is None or application.status != ApplicationStatus.INVITED:
        raise Invalid(_("You have no open invitation to this panel."), code="invalid")
    if panel.has_ended:
        raise Invalid(_("The panel's term has ended."), code="ended")
    if accept:
        application.status = ApplicationStatus.MEMBER
        application.confirmed_at = timezone.now()
        application.save(update_fields=["status", "confirmed_at", "updated_at"])
    else:
        _leave(panel, application, ApplicationStatus.DECLINED)
    return application


@transaction.atomic
def member_release(*, user, panel: Panel, application_id: int) -> PanelApplication:
    """A facilitator gives a drawn person's place to a reserve (an invitation
    nobody answers, a member who left without saying so): marked declined and
    replaced from the reserve, keeping the strata."""
    _require_runner(user, panel)
    panel = _locked(panel)
    application = panel.applications.filter(pk=application_id).first()
    if application is None or not application.is_drawn:
        raise Invalid(
            _("Only a drawn member's place can be given to a reserve."),
            code="not_drawn",
        )
    if panel.has_ended:
        raise Invalid(_("The panel's term has ended."), code="ended")
    _leave(panel, application, ApplicationStatus.DECLINED)
    return application


# --- The draw --------------------------------------------------------------------


@transaction.atomic
def panel_draw(*, user, panel: Panel) -> Panel:
    """Draw the panel and its reserve, invite those selected by e-mail, and
    publish the seed, the pool's hash and the fit."""
    _require_runner(user, panel)
    panel = _locked(panel)
    if panel.is_drawn:
        raise Invalid(_("The panel has been drawn already."), code="drawn")
    if panel.has_ended:
        raise Invalid(_("The panel's term has ended."), code="ended")
    now = timezone.now()
    if panel.applications_close_at > now:
        raise Invalid(
            _("Close the applications before the draw."), code="applications_open"
        )
    targets = selectors.panel_targets(panel=panel)
    pool, by_id = selectors.pool_applicants(panel=panel, targets=targets)
    if not pool:
        raise Invalid(_("Nobody has applied: there is no one to draw."), code="empty")
    result = draw.draw(
        applicants=pool, targets=targets, size=panel.size, seed=panel.seed
    )
    mails = []
    for pid in result.selected:
        application = by_id[pid]
        application.panel = panel
        mails.append(_invite(application, now))
        application.save(update_fields=["status", "reserve_rank", "invited_at"])
    for rank, pid in enumerate(result.reserve, start=1):
        application = by_id[pid]
        application.reserve_rank = rank
        application.save(update_fields=["reserve_rank"])
    OutgoingMail.objects.bulk_create(mails)
    panel.drawn_at = now
    panel.targets = targets
    panel.algorithm = f"{draw.ALGORITHM}/{draw.VERSION}"
    panel.pool_hash = draw.pool_hash(pool)
    panel.pool_size = len(pool)
    panel.pool = draw.pool_document(pool)
    strata = {applicant.id: applicant.strata for applicant in pool}
    panel.fit = draw.fit([strata[pid] for pid in result.selected], targets)
    panel.save()
    transaction.on_commit(outbox_kick)
    return panel


# Meetings and attendance live in their own module, re-exported here (it imports
# the helpers above, hence last).
from workshops.panels.meetings import (  # noqa: E402
    attendance_record,
    panel_meeting_add,
    panel_meeting_join,
)

__all__ = [
    "application_withdraw",
    "attendance_record",
    "invitation_respond",
    "member_release",
    "panel_apply",
    "panel_close_applications",
    "panel_create",
    "panel_criterion_add",
    "panel_draw",
    "panel_end",
    "panel_meeting_add",
    "panel_meeting_join",
    "parse_options",
]
