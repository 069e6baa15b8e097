"""What the public reports (`/reports/…`) read: public things only.

A report exists only for something the public can already see (a live, public
planned service; a closed workshop with published results; a city's dreams on a
topic) and reads what its own page shows, through the apps' selectors. The counts of
participation come from `insights.metrics`, suppressed like every figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from core.models import City, Topic
from ideas.models import Dream, DreamStatus, DreamStatusChange
from insights import metrics
from insights.cache import cached
from insights.scope import Scope
from insights.tables import Cell, Table
from insights.themes.models import Scope as ThemeScope
from insights.themes.selectors import ThemeView, themes_for
from participation.models import PlannedServicePage, PlannedServiceSection
from participation.selectors import ShownAnswer, service_answer_get, service_discussions
from workshops.models import Workshop
from workshops.selectors import ColumnResult, workshop_results

THEMES = 8
TOP_DREAMS = 10
TOP_RESULTS = 5  # per column of a workshop's board
DECISIONS = 10


@dataclass
class ServiceReport:
    page: PlannedServicePage
    sections: list[PlannedServiceSection]
    answer: ShownAnswer | None
    tables: list[Table] = field(default_factory=list)
    themes: list[ThemeView] = field(default_factory=list)  # public texts only


@dataclass
class WorkshopReport:
    workshop: Workshop
    columns: list[tuple[str, ColumnResult]]  # (board title, column), top items
    tables: list[Table] = field(default_factory=list)
    themes: list[ThemeView] = field(default_factory=list)  # public texts only


@dataclass
class DreamTopicReport:
    city: City
    topic: Topic
    top: list[Dream]
    decisions: list[DreamStatusChange]
    tables: list[Table] = field(default_factory=list)
    themes: list[ThemeView] = field(default_factory=list)  # public texts only


def _reportable_services():
    return PlannedServicePage.objects.live().public()


def has_service_report(page: PlannedServicePage) -> bool:
    """Whether `service_report` answers for this page (live and public)."""
    return page.live and _reportable_services().filter(pk=page.pk).exists()


def has_workshop_report(workshop: Workshop) -> bool:
    """Whether `workshop_report` answers for this workshop (closed, published)."""
    return workshop.results_published and workshop.closed_at is not None


def service_report(*, page_id: int) -> ServiceReport | None:
    """The report of a live public planned service; None for any other page."""
    page = (
        _reportable_services()
        .select_related("city", "state", "locale")
        .filter(pk=page_id)
        .first()
    )
    if page is None:
        return None
    sections, discussion = service_discussions(page=page)
    answer = service_answer_get(page=page, sections=sections)
    report = ServiceReport(page=page, sections=sections, answer=answer)
    if discussion is not None:
        report.tables.append(_positions(page, sections, discussion))
    report.tables += _participation(Scope(city=page.city, service=page.pk))
    report.themes = themes_for(
        page.city_id, ThemeScope.SERVICE, str(page.translation_key), limit=THEMES
    )
    return report


def _positions(page, sections, discussion) -> Table:
    """Comments, support and opposition as the service's page shows them."""
    rows = [(str(page.translation_key), _("The whole plan"), discussion)] + [
        (str(s.key), s.title, s.discussion) for s in sections if s.discussion
    ]
    return Table(
        key="positions",
        title=_("Comments, support and opposition"),
        row_heading=_("Part of the plan"),
        row_keys=[key for key, _label, _d in rows],
        row_labels=[label for _key, label, _d in rows],
        column_keys=["comments", "support", "oppose"],
        column_labels=[_("Comments"), _("In support"), _("Opposed")],
        cells=[
            [Cell(d.comment_count), Cell(d.support_count), Cell(d.oppose_count)]
            for _key, _label, d in rows
        ],
        summary=_(
            "The whole plan: %(support)s in support, %(oppose)s opposed, "
            "%(comments)s comments."
        )
        % {
            "support": discussion.support_count,
            "oppose": discussion.oppose_count,
            "comments": discussion.comment_count,
        },
    )


def workshop_report(*, workshop_id: int) -> WorkshopReport | None:
    """The report of a closed workshop whose results are published; else None."""
    workshop = Workshop.objects.select_related("city").filter(pk=workshop_id).first()
    if workshop is None or not has_workshop_report(workshop):
        return None
    columns = []
    for board in workshop_results(workshop=workshop):
        for column in board.columns:
            column.ranked = column.ranked[:TOP_RESULTS]
            columns.append((board.board.title, column))
    report = WorkshopReport(workshop=workshop, columns=columns)
    report.tables += _participation(Scope(city=workshop.city, workshop=workshop.pk))
    report.themes = themes_for(
        workshop.city_id, ThemeScope.WORKSHOP, str(workshop.pk), limit=THEMES
    )
    return report


def dream_topic_report(*, city_slug: str, topic_slug: str) -> DreamTopicReport | None:
    """A city's dreams on a topic: by status, the most supported, the decisions."""
    city = City.objects.filter(slug=city_slug).first()
    topic = Topic.objects.filter(slug=topic_slug).first()
    if city is None or topic is None:
        return None
    dreams = Dream.objects.filter(city=city, topics=topic).exclude(
        status=DreamStatus.MERGED
    )
    top = list(dreams.order_by("-support_count", "-pk")[:TOP_DREAMS])
    decisions = list(
        DreamStatusChange.objects.filter(dream__in=dreams.values("pk"))
        .exclude(reason="")
        .select_related("dream")
        .order_by("-changed_at", "-id")[:DECISIONS]
    )
    report = DreamTopicReport(city=city, topic=topic, top=top, decisions=decisions)
    report.tables.append(_by_status(dreams))
    report.tables += _participation(Scope(city=city, dream_topic=topic.pk))
    report.themes = themes_for(city.pk, ThemeScope.TOPIC, str(topic.pk), limit=THEMES)
    return report


def _by_status(dreams) -> Table:
    """Dreams and their supports per status: what became of them."""
    counted = {
        row["status"]: row
        for row in dreams.order_by()
        .values("status")
        .annotate(dreams=Count("pk"), supports=Sum("support_count"))
    }
    statuses = [s for s in DreamStatus if s != DreamStatus.MERGED]
    total = sum(row["dreams"] for row in counted.values())
    realised = counted.get(DreamStatus.REALISED, {}).get("dreams", 0)
    return Table(
        key="dreams_by_status",
        title=_("What became of the dreams"),
        row_heading=_("Status"),
        row_keys=[s.value for s in statuses],
        row_labels=[s.label for s in statuses],
        column_keys=["dreams", "supports"],
        column_labels=[_("Dreams"), _("Supports")],
        cells=[
            [
                Cell(counted.get(s, {}).get("dreams", 0)),
                Cell(counted.get(s, {}).get("supports") or 0),
            ]
            for s in statuses
        ],
        summary=_("%(total)s dreams, of which %(realised)s realised.")
        % {"total": total, "realised": realised},
    )


def _participation(scope: Scope) -> list[Table]:
    """Public contributions and participants by channel, and the segments."""
    public = replace(scope, public_only=True)
    return [
        cached(metrics.participation_by, public, "channel"),
        *(cached(metrics.segments, public, name) for name in metrics.SEGMENT_FIELDS),
    ]
