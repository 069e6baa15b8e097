"""Reads of the dashboards' pages: which cities and objects a person may choose."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from core.models import City, Topic
from participation.models import PlannedServicePage
from workshops.models import Workshop

OBJECTS_LISTED = 50  # of each kind, newest first


@dataclass(frozen=True)
class DashboardObjects:
    services: list[tuple[int, str]]  # (page id, title), one per service
    workshops: list[Workshop]
    topics: list[Topic]  # those with dreams in the city


def dashboard_objects(city: City) -> DashboardObjects:
    """A city's planned services, workshops and dream topics (three queries).

    A service is listed once, by its version in the active language if it has one.
    """
    language = translation.get_language() or "fi"
    chosen: dict[str, tuple[int, str]] = {}
    rows = (
        PlannedServicePage.objects.filter(city=city)
        .order_by("-first_published_at", "-pk")
        .values_list("pk", "title", "translation_key", "locale__language_code")
    )
    for pk, title, key, code in rows:
        if key not in chosen or code == language:
            chosen[key] = (pk, title)
    workshops = list(
        Workshop.objects.filter(city=city).order_by("-starts_at", "-pk")[
            :OBJECTS_LISTED
        ]
    )
    topics = list(Topic.objects.filter(dreams__city=city).distinct().order_by("slug"))
    topics.sort(key=lambda t: t.name.casefold())
    return DashboardObjects(
        services=list(chosen.values())[:OBJECTS_LISTED],
        workshops=workshops,
        topics=topics,
    )
