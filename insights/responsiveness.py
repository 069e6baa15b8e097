"""How quickly the city answers: read from the apps' own timestamps, not rollups
(they are few rows: answered services, feedback status changes, chats).

- Planned services: days from the end of the comment period (or, without one,
  from first publication) to the city's answer, for services answered in the
  scope's dates. A table per service and a summary (median, 90th percentile).
- Feedback (city scope only): days from sending to the first time an item
  reached each status (allocated, being handled, done), for items sent in the
  dates, withdrawn ones excluded.
- Advice (city scope only): minutes from opening a chat to an advisor taking
  it, per chat language; a language with fewer than five chats is hidden.

Percentiles interpolate linearly between the closest ranks (numpy's default,
as advice-stats in open data).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from insights.scope import Scope, scope_facet
from insights.suppression import K
from insights.tables import Cell, Table


def percentile(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _figure(value: float | None) -> Cell:
    return Cell(None if value is None else round(value, 1))


def _window(scope: Scope) -> dict:
    if scope.start is None:
        return {}
    lo = timezone.make_aware(datetime.combine(scope.start, time.min))
    hi = timezone.make_aware(datetime.combine(scope.end + timedelta(days=1), time.min))
    return {"gte": lo, "lt": hi}


def _range(prefix: str, window: dict) -> dict:
    return {f"{prefix}__{op}": value for op, value in window.items()}


def _answers(scope: Scope, window: dict) -> list[Table]:
    from participation.models import PlannedServicePage

    pages = PlannedServicePage.objects.filter(
        city=scope.city, state__answer_published_at__isnull=False
    )
    if scope.service is not None:
        _facet, key = scope_facet(scope)
        pages = pages.filter(translation_key=key)
    language = translation.get_language() or "fi"
    services: dict[str, tuple[str, float]] = {}
    for key, title, code, closes, answered, published in pages.filter(
        **_range("state__answer_published_at", window)
    ).values_list(
        "translation_key",
        "title",
        "locale__language_code",
        "state__comments_close_at",
        "state__answer_published_at",
        "first_published_at",
    ):
        since = closes or published or answered
        days = max((answered - since).total_seconds(), 0) / 86400
        if str(key) not in services or code == language:
            services[str(key)] = (title, days)
    ordered = sorted(services.items(), key=lambda item: item[1][0].casefold())
    days = [d for _title, d in services.values()]
    per_service = Table(
        key="answer_times",
        title=_("Time to the city's answer, per planned service"),
        row_heading=_("Planned service"),
        row_keys=[key for key, _v in ordered],
        row_labels=[title for _key, (title, _d) in ordered],
        column_keys=["days"],
        column_labels=[_("Days from the end of comments to the answer")],
        cells=[[_figure(d)] for _key, (_title, d) in ordered],
        unit=_("days"),
        summary=_("%(n)s planned services answered.") % {"n": len(ordered)},
    )
    summary = Table(
        key="answer_time_summary",
        title=_("Time to the city's answer"),
        row_heading=_("Planned services"),
        row_keys=["all"],
        row_labels=[_("All answered")],
        column_keys=["services", "median_days", "p90_days"],
        column_labels=[_("Services"), _("Median (days)"), _("90th percentile (days)")],
        cells=[
            [
                Cell(len(days)),
                _figure(percentile(days, 50)),
                _figure(percentile(days, 90)),
            ]
        ],
        unit=_("days"),
        summary=_("Median %(median)s days to the answer.")
        % {"median": _figure(percentile(days, 50)).value},
    )
    return [summary, per_service]


def _feedback(scope: Scope, window: dict) -> Table:
    from feedback.models import FeedbackStatusChange, Status

    statuses = [Status.ALLOCATED, Status.HANDLING, Status.DONE]
    first: dict[tuple[int, str], float] = {}
    for item, status, changed, sent in (
        FeedbackStatusChange.objects.filter(
            item__city=scope.city,
            item__withdrawn_at__isnull=True,
            status__in=statuses,
            **_range("item__requested_at", window),
        )
        .values_list("item_id", "status", "created_at", "item__requested_at")
        .order_by("created_at", "id")
    ):
        first.setdefault(
            (item, status), max((changed - sent).total_seconds(), 0) / 86400
        )
    days: dict[str, list[float]] = defaultdict(list)
    for (_item, status), d in first.items():
        days[status].append(d)
    return Table(
        key="feedback_handling",
        title=_("Feedback handling times"),
        row_heading=_("Status reached"),
        row_keys=[str(s) for s in statuses],
        row_labels=[str(s.label) for s in statuses],
        column_keys=["items", "median_days", "p90_days"],
        column_labels=[_("Items"), _("Median (days)"), _("90th percentile (days)")],
        cells=[
            [
                Cell(len(days[s])),
                _figure(percentile(days[s], 50)),
                _figure(percentile(days[s], 90)),
            ]
            for s in statuses
        ],
        unit=_("days"),
        summary=_(
            "Days from sending feedback to each status, for feedback sent in "
            "the period."
        ),
    )


def _advice(scope: Scope, window: dict) -> Table:
    from advice.models import Chat

    waits: dict[str, list[float]] = defaultdict(list)
    for language, opened, accepted in Chat.objects.filter(
        city=scope.city,
        blocked=False,
        first_accepted_at__isnull=False,
        **_range("created_at", window),
    ).values_list("language", "created_at", "first_accepted_at"):
        minutes = max((accepted - opened).total_seconds(), 0) / 60
        waits[language].append(minutes)
        waits["all"].append(minutes)
    keys = ["all", *sorted(k for k in waits if k != "all")]
    cells = []
    for key in keys:
        if len(waits[key]) < K:
            cells.append([Cell(None, suppressed=True)] * 3)
        else:
            cells.append(
                [
                    Cell(len(waits[key])),
                    _figure(percentile(waits[key], 50)),
                    _figure(percentile(waits[key], 90)),
                ]
            )
    return Table(
        key="advice_waiting",
        title=_("Advice waiting times"),
        row_heading=_("Chat language"),
        row_keys=keys,
        row_labels=[_("All languages") if k == "all" else k for k in keys],
        column_keys=["chats", "median_minutes", "p90_minutes"],
        column_labels=[
            _("Chats"),
            _("Median (minutes)"),
            _("90th percentile (minutes)"),
        ],
        cells=cells,
        unit=_("minutes"),
        summary=_("Minutes from opening a chat to an advisor taking it."),
        notes=[_("A language with fewer than %(k)s chats is hidden.") % {"k": K}],
    )


def responsiveness(scope: Scope) -> list[Table]:
    """The answer times; for a city also feedback handling and advice waiting."""
    window = _window(scope)
    if scope.workshop is not None or scope.dream_topic is not None:
        return []
    tables = _answers(scope, window)
    if scope.is_city:
        tables += [_feedback(scope, window), _advice(scope, window)]
    return tables


__all__ = ["percentile", "responsiveness"]
