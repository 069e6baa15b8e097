"""What workshops adds to the shared registries (activity, notifications).

Registered from `WorkshopsConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from core.searchables import Document
from workshops.models import Card, Panel, Participant, Workshop
from workshops.panels.models import PanelApplication

TITLE_CHARS = 80
RESULTS_KIND = "workshops.results_published"


def _board_url(card: Card) -> str:
    return reverse("workshops:board", args=[card.board.workshop_id, card.board_id])


def card_activity(user, limit: int) -> list[ActivityItem]:
    """The workshop cards `user` wrote while signed in, newest first (one query).

    A card belongs to a participant; only participants linked to the account
    count (cards written without an account are nobody's to list).
    """
    cards = (
        Card.objects.filter(author__user=user)
        .select_related("board")
        .only("pk", "text", "created_at", "board__id", "board__workshop_id")
        .order_by("-created_at", "-id")[:limit]
    )
    kind = _("Wrote a workshop card")
    return [
        ActivityItem(
            kind=kind,
            title=Truncator(card.text).chars(TITLE_CHARS),
            url=_board_url(card),
            date=card.created_at,
        )
        for card in cards
    ]


def panel_application_activity(user, limit: int) -> list[ActivityItem]:
    """The panels `user` applied to, newest first, with where the application
    stands (one query)."""
    applications = (
        PanelApplication.objects.filter(user=user)
        .select_related("panel")
        .only("pk", "status", "created_at", "panel__id", "panel__theme")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        ActivityItem(
            kind=_("Applied to a customer panel"),
            title=application.panel.theme,
            url=reverse("workshops:panel_detail", args=[application.panel_id]),
            date=application.created_at,
            state=str(application.get_status_display()),
        )
        for application in applications
    ]


def participation_activity(user, limit: int) -> list[ActivityItem]:
    """The workshops `user` joined while signed in, newest first, open or ended
    (one query)."""
    participants = (
        Participant.objects.filter(user=user, removed_at__isnull=True)
        .select_related("workshop")
        .only(
            "pk",
            "created_at",
            "workshop__id",
            "workshop__title",
            "workshop__closed_at",
            "workshop__results_published",
        )
        .order_by("-created_at", "-id")[:limit]
    )
    items = []
    for participant in participants:
        workshop = participant.workshop
        if workshop.results_published:
            state = _("Results published")
        elif workshop.is_closed:
            state = _("Ended")
        else:
            state = _("Open")
        items.append(
            ActivityItem(
                kind=_("Took part in a workshop"),
                title=workshop.title,
                url=reverse("workshops:results", args=[workshop.pk]),
                date=participant.created_at,
                state=str(state),
            )
        )
    return items


def results_public(workshop: Workshop) -> bool:
    """A workshop is talked about (and followed by hand) once its results are
    published."""
    return workshop.results_published


def describe_workshop(workshop: Workshop) -> tuple[str, str]:
    return workshop.title, reverse("workshops:results", args=[workshop.pk])


def describe_panel(panel: Panel) -> tuple[str, str]:
    return panel.theme, reverse("workshops:panel_detail", args=[panel.pk])


# --- Search ---------------------------------------------------------------------

WORKSHOP_SEARCH_KIND = "workshop"
PANEL_SEARCH_KIND = "panel"


def _published_workshops():
    return Workshop.objects.filter(results_published=True)


def workshop_documents(ids) -> list[Document]:
    """The workshops among `ids` whose results are published (one query)."""
    workshops = _published_workshops().filter(pk__in=ids)
    return [
        Document(
            kind=WORKSHOP_SEARCH_KIND,
            object_id=workshop.pk,
            language=workshop.language,
            title=workshop.title,
            body="\n".join(filter(None, [workshop.description, workshop.summary])),
            url=reverse("workshops:results", args=[workshop.pk]),
            date=workshop.results_published_at or workshop.starts_at,
            city_id=workshop.city_id,
        )
        for workshop in workshops
    ]


def published_workshop_ids():
    return _published_workshops().values_list("pk", flat=True).iterator()


def panel_documents(ids) -> list[Document]:
    """The customer panels among `ids` (every panel is public; one query)."""
    panels = Panel.objects.filter(pk__in=ids)
    return [
        Document(
            kind=PANEL_SEARCH_KIND,
            object_id=panel.pk,
            # Written by the city's staff in the site's language; the meeting
            # languages are the panel's, not the text's.
            language=(panel.languages or [settings.LANGUAGE_CODE])[0],
            title=panel.theme,
            body=panel.description,
            url=reverse("workshops:panel_detail", args=[panel.pk]),
            date=panel.created_at,
            city_id=panel.city_id,
        )
        for panel in panels
    ]


def panel_ids():
    return Panel.objects.values_list("pk", flat=True).iterator()
