"""Reads of customer panels shared by the views, the services and open data.

Targets come from core's population figures (the latest year a city has for
each breakdown); a criterion without figures has no targets and the draw leaves
it out (the facilitator's page says so).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from core.models import District, PopulationDimension, PopulationFigure
from workshops.panels import draw
from workshops.panels.models import (
    DRAWN_STATUSES,
    ApplicationStatus,
    Criterion,
    Panel,
    PanelApplication,
    PanelMeeting,
)

_DIMENSIONS = {
    Criterion.AGE_BAND: PopulationDimension.AGE_BAND,
    Criterion.GENDER: PopulationDimension.GENDER,
    Criterion.FIRST_LANGUAGE: PopulationDimension.FIRST_LANGUAGE,
}
# Shares are rounded so the pool file an auditor gets reproduces them exactly.
SHARE_DIGITS = 6


def panel_list() -> QuerySet[Panel]:
    """Every panel with its city and meeting count (two queries in all)."""
    return (
        Panel.objects.select_related("city")
        .annotate(meeting_count=Count("meetings"))
        .order_by("city__name_fi", "-term_starts_on", "id")
    )


def panel_get(pk: int) -> Panel | None:
    return Panel.objects.select_related("city").filter(pk=pk).first()


def meeting_list(*, panel: Panel) -> QuerySet[PanelMeeting]:
    return panel.meetings.select_related("workshop").order_by(
        "workshop__starts_at", "id"
    )


def _shares(counts: dict[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    if not total:
        return {}
    return {
        group: round(count / total, SHARE_DIGITS)
        for group, count in sorted(counts.items())
        if count
    }


def _latest(figures: list[PopulationFigure], key) -> dict[str, int]:
    """Counts of the latest year among `figures`, by `key(figure)`."""
    if not figures:
        return {}
    year = max(f.year for f in figures)
    return {key(f): f.count for f in figures if f.year == year}


def panel_targets(*, panel: Panel) -> dict[str, dict[str, float]]:
    """Target shares per criterion of the panel (frozen ones after the draw)."""
    if panel.is_drawn:
        return panel.targets
    figures = list(
        PopulationFigure.objects.filter(city_id=panel.city_id).exclude(
            dimension=PopulationDimension.TOTAL, district__isnull=True
        )
    )
    targets: dict[str, dict[str, float]] = {}
    for criterion in panel.criteria:
        if criterion == Criterion.DISTRICT:
            # Keyed by the district's id, as the applicants' answers are.
            counts = _latest(
                [
                    f
                    for f in figures
                    if f.district_id and f.dimension == PopulationDimension.TOTAL
                ],
                key=lambda f: str(f.district_id),
            )
        elif criterion in _DIMENSIONS:
            counts = _latest(
                [
                    f
                    for f in figures
                    if f.district_id is None and f.dimension == _DIMENSIONS[criterion]
                ],
                key=lambda f: f.group,
            )
        else:
            counts = {}
        if shares := _shares(counts):
            targets[criterion] = shares
    for custom in panel.custom_criteria.all():
        shares = {
            o["value"]: round(float(o["share"]), SHARE_DIGITS) for o in custom.options
        }
        if shares:
            targets[custom.key] = shares
    return targets


def application_strata(
    application: PanelApplication, targets: dict[str, dict[str, float]]
) -> dict[str, str | None]:
    """The applicant's group per targeted criterion (None: not given).

    A first language the figures do not break out counts as their "other"."""
    strata: dict[str, str | None] = {}
    for criterion, groups in targets.items():
        value = application.answers.get(criterion) or None
        if (
            value is not None
            and criterion == Criterion.FIRST_LANGUAGE
            and value not in groups
        ):
            value = "other"
        strata[criterion] = value
    return strata


def eligible_applications(*, panel: Panel) -> QuerySet[PanelApplication]:
    """Applicants the draw may pick: applied, with an active consent to selection."""
    return panel.applications.filter(
        status=ApplicationStatus.APPLIED,
        user__consents__purpose="panel_selection",
        user__consents__withdrawn_at__isnull=True,
    ).distinct()


def pool_applicants(
    *, panel: Panel, targets: dict[str, dict[str, float]]
) -> tuple[list[draw.Applicant], dict[str, PanelApplication]]:
    """The pseudonymised pool and the applications by pseudonym."""
    by_id = {str(a.pseudonym): a for a in eligible_applications(panel=panel)}
    pool = [
        draw.Applicant(pid, application_strata(a, targets)) for pid, a in by_id.items()
    ]
    return pool, by_id


def member_list(*, panel: Panel) -> QuerySet[PanelApplication]:
    """The drawn people (invited and confirmed), with their accounts."""
    return (
        panel.applications.filter(status__in=DRAWN_STATUSES)
        .select_related("user")
        .order_by("invited_at", "id")
    )


def reserve_list(*, panel: Panel) -> QuerySet[PanelApplication]:
    return (
        panel.applications.filter(reserve_rank__isnull=False)
        .select_related("user")
        .order_by("reserve_rank")
    )


def application_get(*, panel: Panel, user) -> PanelApplication | None:
    if user is None or not user.is_authenticated:
        return None
    return panel.applications.filter(user=user).first()


def panel_comparison(*, panel: Panel) -> list[dict[str, Any]]:
    """Target against drawn share per criterion and group (facilitators only:
    a panel of 15 is not published per segment)."""
    targets = panel_targets(panel=panel)
    members = [application_strata(a, targets) for a in member_list(panel=panel)]
    drawn = draw.shares(members, targets)
    labels = criterion_labels(panel=panel)
    names = group_labels(panel=panel)
    rows = []
    for criterion in sorted(targets):
        groups = [
            {
                "group": names.get((criterion, group), group),
                "target": targets[criterion].get(group, 0.0) * 100,
                "drawn": share * 100,
            }
            for group, share in drawn[criterion].items()
        ]
        rows.append({"criterion": labels.get(criterion, criterion), "groups": groups})
    return rows


def criterion_labels(*, panel: Panel) -> dict[str, str]:
    labels = {c.value: str(c.label) for c in Criterion}
    labels.update({c.key: c.question for c in panel.custom_criteria.all()})
    return labels


def group_labels(*, panel: Panel) -> dict[tuple[str, str], str]:
    """(criterion, group) -> the group's name, for every group the panel knows."""
    from accounts.models import FirstLanguage
    from core.models import AgeBand, Gender

    names: dict[tuple[str, str], str] = {}
    for criterion, choices in (
        (Criterion.AGE_BAND, AgeBand),
        (Criterion.GENDER, Gender),
        (Criterion.FIRST_LANGUAGE, FirstLanguage),
    ):
        for value, label in choices.choices:
            names[(criterion.value, value)] = str(label)
    if Criterion.DISTRICT in panel.criteria:
        for district in District.objects.filter(city_id=panel.city_id):
            names[(Criterion.DISTRICT.value, str(district.pk))] = district.name
    for custom in panel.custom_criteria.all():
        for option in custom.options:
            names[(custom.key, option["value"])] = option["label"]
    return names


def panel_rows_for_opendata() -> QuerySet[Panel]:
    """Panels with their meetings (and the meetings' workshops) prefetched."""
    return Panel.objects.select_related("city").prefetch_related(
        Prefetch(
            "meetings",
            queryset=PanelMeeting.objects.select_related("workshop").order_by(
                "workshop__starts_at", "id"
            ),
        )
    )


def panels_personal_data(user) -> list[dict[str, Any]]:
    """What the panels store about `user`, for `/accounts/me/data/`."""
    applications = PanelApplication.objects.filter(user=user).select_related("panel")
    return [
        {
            "panel": application.panel.theme,
            "status": application.status,
            "answers": application.answers,
            "availability": application.availability,
            "reserve_rank": application.reserve_rank,
            "applied_at": application.created_at,
            "invited_at": application.invited_at,
            "confirmed_at": application.confirmed_at,
            "withdrawn_at": application.withdrawn_at,
            "meetings_attended": [
                a.meeting.workshop.title
                for a in application.attendance.filter(present=True).select_related(
                    "meeting__workshop"
                )
            ],
        }
        for application in applications.order_by("created_at", "id")
    ]
