"""The public reports: one page per planned service, workshop and dream topic,
printable, each figure with its chart, data table and CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from insights import charts, reports
from insights.downloads import csv_response
from insights.tables import Table


def _figures(tables: list[Table], csv_name: str, args: list) -> list[charts.Figure]:
    """Every table as bars; a segment's bars its people (its table adds shares)."""
    return [
        charts.figure(
            table,
            charts.BARS,
            columns=["people"] if table.key.startswith("segments_") else None,
            csv_url=reverse(csv_name, args=[*args, table.key]),
        )
        for table in tables
    ]


def _csv(tables: list[Table], key: str, name: str) -> HttpResponse:
    table = next((t for t in tables if t.key == key), None)
    if table is None:
        raise Http404
    return csv_response(table, name=name)


def service(request: HttpRequest, page_id: int, table: str = "") -> HttpResponse:
    report = reports.service_report(page_id=page_id)
    if report is None:
        raise Http404
    if table:
        return _csv(report.tables, table, f"service-{page_id}")
    return render(
        request,
        "insights/report_service.html",
        {
            "report": report,
            "service": report.page,
            "figures": _figures(report.tables, "reports:service_csv", [page_id]),
        },
    )


def workshop(request: HttpRequest, workshop_id: int, table: str = "") -> HttpResponse:
    report = reports.workshop_report(workshop_id=workshop_id)
    if report is None:
        raise Http404
    if table:
        return _csv(report.tables, table, f"workshop-{workshop_id}")
    return render(
        request,
        "insights/report_workshop.html",
        {
            "report": report,
            "figures": _figures(report.tables, "reports:workshop_csv", [workshop_id]),
        },
    )


def dreams(
    request: HttpRequest, city: str, topic: str, table: str = ""
) -> HttpResponse:
    report = reports.dream_topic_report(city_slug=city, topic_slug=topic)
    if report is None:
        raise Http404
    if table:
        return _csv(report.tables, table, f"dreams-{city}-{topic}")
    return render(
        request,
        "insights/report_dreams.html",
        {
            "report": report,
            "figures": _figures(report.tables, "reports:dreams_csv", [city, topic]),
        },
    )
