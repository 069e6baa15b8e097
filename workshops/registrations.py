"""What workshops adds to the shared registries (activity).

Registered from `WorkshopsConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.activity import ActivityItem
from workshops.models import Card

TITLE_CHARS = 80


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
