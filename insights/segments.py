"""Who took part, by the voluntary background (accounts' `BackgroundDetails`).

A person counts in a segment only while the consent for that very detail is
active (`accounts.Consent`, not withdrawn): the detail is read at the moment
the table is made, so a withdrawn consent leaves every table made afterwards.
Anonymous actors, workshop names and the like cannot describe themselves:
they are in the "unknown" row with everyone who gave no detail. The table's
`Coverage` says how many of the participants described themselves.

Suppression (insights/suppression.py): the rows add up to the participants, and
the described rows to the described; both sums are published (the coverage), so
both are lines. When either is under five nothing but the note is shown.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F
from django.utils.translation import gettext as _

from accounts.models import FirstLanguage
from core.errors import Invalid
from core.models import AgeBand, District, Gender, PopulationFigure
from insights.scope import (
    Scope,
    scope_facet,
    scope_people_counts,
    scope_users,
    segment_period,
    users_described,
)
from insights.suppression import K, protect
from insights.tables import Cell, Coverage, Table

SEGMENT_FIELDS = ("age_band", "gender", "home_district", "first_language")
UNKNOWN = "unknown"
ELSEWHERE = "elsewhere"
FIELD_LABELS = {
    "age_band": lambda: _("Age band"),
    "gender": lambda: _("Gender"),
    "home_district": lambda: _("Home district"),
    "first_language": lambda: _("First language"),
}


def _rows(scope: Scope, field: str) -> list[tuple[str, str]]:
    """(key, label) of the field's groups, without unknown (1 query for districts)."""
    if field == "age_band":
        return [(k, str(v)) for k, v in AgeBand.choices]
    if field == "gender":
        return [(k, str(v)) for k, v in Gender.choices]
    if field == "first_language":
        return [(k, str(v)) for k, v in FirstLanguage.choices]
    districts = [(str(d.pk), d.name) for d in District.objects.filter(city=scope.city)]
    return [*districts, (ELSEWHERE, _("another city's district"))]


def _described(scope: Scope, field: str) -> tuple[int, dict[str, int]]:
    """(participants, people per group among those who described themselves).

    The participants are counted by the refresh job (`PeriodCount`); who of the
    signed-in ones described themselves is read now, under today's consent."""
    granularity, start = segment_period(scope)
    facet, value = scope_facet(scope)
    period = {"granularity": granularity, "start": start, "facet": facet}
    total = (
        scope_people_counts(scope, value=value, channel="", **period)
        .values_list("people", flat=True)
        .first()
    ) or 0
    path = f"user__background__{field}"
    rows = users_described(scope_users(scope, value=value, **period), field)
    groups: dict[str, int] = defaultdict(int)
    if field == "home_district":
        for row in (
            rows.values(segment=F(path), home_city=F(f"{path}__city_id"))
            .annotate(n=Count("user"))
            .order_by()
        ):
            here = row["home_city"] == scope.city.pk
            groups[str(row["segment"]) if here else ELSEWHERE] += row["n"]
    else:
        for row in rows.values(segment=F(path)).annotate(n=Count("user")).order_by():
            groups[row["segment"]] = row["n"]
    return total, dict(groups)


def segments(scope: Scope, field: str) -> Table:
    """Participants per group of `field`, with an "unknown" row and the coverage."""
    if field not in SEGMENT_FIELDS:
        raise Invalid(_("Choose age band, gender, home district or first language."))
    total, groups = _described(scope, field)
    rows = [*_rows(scope, field), (UNKNOWN, _("unknown"))]
    described = sum(groups.values())
    values = [groups.get(key, 0) for key, _label in rows[:-1]] + [total - described]
    everyone = list(range(len(values)))
    hidden, unsafe = protect(values, [everyone, everyone[:-1]], K)
    notes = [
        _(
            "Only people who gave this detail and keep their consent for it are "
            "counted; everyone else is unknown."
        )
    ]
    coverage: Coverage | None = Coverage(described=described, participants=total)
    if unsafe:
        hidden, coverage = set(everyone), None
        notes.append(_("Too few people to show this breakdown."))
    elif hidden:
        notes.append(
            _(
                "Figures for fewer than %(k)s people are hidden, and so are others "
                "from which a hidden figure could be worked out."
            )
            % {"k": K}
        )
    cells = [
        [Cell(None, suppressed=True)] * 2
        if i in hidden
        else [Cell(v), Cell(round(100 * v / total, 1) if total else 0.0)]
        for i, v in enumerate(values)
    ]
    heading = FIELD_LABELS[field]()
    return Table(
        key=f"segments_{field}",
        title=_("Participants by %(field)s") % {"field": heading.lower()},
        row_heading=heading,
        row_keys=[key for key, _label in rows],
        row_labels=[label for _key, label in rows],
        column_keys=["people", "share"],
        column_labels=[_("People"), _("Share of participants (%)")],
        cells=cells,
        unit=_("people"),
        summary=_("%(described)s of %(total)s participants gave their %(field)s.")
        % {
            "described": described if coverage else "–",
            "total": total if coverage else "–",
            "field": heading.lower(),
        },
        coverage=coverage,
        notes=notes,
    )


def _population(scope: Scope, field: str) -> dict[str, int]:
    """Residents per group, latest year up to the scope's (1 query)."""
    if field == "home_district":
        qs = PopulationFigure.objects.filter(
            city=scope.city, district__isnull=False, dimension="total"
        ).values_list("year", "district_id", "count")
    else:
        qs = PopulationFigure.objects.filter(
            city=scope.city, district__isnull=True, dimension=field
        ).values_list("year", "group", "count")
    by_year: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    known = {k for k, _v in FirstLanguage.choices}
    for year, group, count in qs:
        group = str(group)
        if field == "first_language" and group not in known:
            group = "other"
        by_year[year][group] += count
    if not by_year:
        return {}
    limit = scope.end.year if scope.end else max(by_year)
    years = [y for y in by_year if y <= limit] or [min(by_year)]
    return dict(by_year[max(years)])


def who_is_missing(scope: Scope, field: str) -> Table:
    """Each group's share among those who described themselves, beside its share
    of the city's residents (core's population figures), in percent."""
    table = segments(scope, field)
    population = _population(scope, field)
    residents = sum(population.values())
    described = table.coverage.described if table.coverage else 0
    keys = [k for k in table.row_keys if k not in (UNKNOWN, ELSEWHERE)]
    cells = []
    for key in keys:
        people = table.cell(key, "people")
        share = (
            Cell(round(100 * people.value / described, 1) if described else 0.0)
            if people.shown
            else Cell(None, suppressed=people.suppressed)
        )
        resident_share = (
            Cell(round(100 * population.get(key, 0) / residents, 1))
            if residents
            else Cell(None)
        )
        gap = (
            Cell(round(share.value - resident_share.value, 1))
            if share.shown and resident_share.shown
            else Cell(None, suppressed=share.suppressed)
        )
        cells.append([people, share, resident_share, gap])
    heading = FIELD_LABELS[field]()
    notes = list(table.notes)
    if not residents:
        notes.append(_("The city has no population figures for this yet."))
    return Table(
        key=f"who_is_missing_{field}",
        title=_("Who is missing: %(field)s") % {"field": heading.lower()},
        row_heading=heading,
        row_keys=keys,
        row_labels=[table.row_labels[table.row_keys.index(k)] for k in keys],
        column_keys=["people", "share", "population_share", "difference"],
        column_labels=[
            _("People"),
            _("Share of those who described themselves (%)"),
            _("Share of the city's residents (%)"),
            _("Difference (percentage points)"),
        ],
        cells=cells,
        unit=_("percent"),
        summary=_(
            "Each group's share among participants who gave their %(field)s, "
            "beside its share of the city's residents."
        )
        % {"field": heading.lower()},
        coverage=table.coverage,
        notes=notes,
    )
