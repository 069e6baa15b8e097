"""The board's wire format: cards, columns and the board as the protocol sends them.

A hidden card (silent writing) travels whole only to its author; everyone else
gets it `withhold`-en: no text, and neither of the dreams it is linked to, which
would tell the text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from workshops.models import Board, Card, Column


def card_data(card: Card, votes: int = 0) -> dict[str, Any]:
    """A card object of snapshots and events (`author` must be loaded)."""
    return {
        "id": card.pk,
        "column": card.column_id,
        "position": card.position,
        "text": card.text,
        "language": card.language,
        "color": card.color,
        "author": card.author.display_name if card.author else "",
        "author_id": card.author_id,
        "group": card.group or None,
        "votes": votes,
        "version": card.version,
        "hidden": card.hidden,
        "from_dream": card.from_dream_id,
        "became_dream": card.became_dream_id,
        # "online", or "in_person" for a card copied from paper in `meeting`.
        "channel": card.channel,
        "meeting": card.meeting or None,
    }


def withhold(data: dict[str, Any]) -> dict[str, Any]:
    """A hidden card as others see it: neither its text nor the dreams it shows."""
    return {
        **data,
        "text": None,
        "language": None,
        "from_dream": None,
        "became_dream": None,
    }


def redact(payload: dict[str, Any]) -> dict[str, Any]:
    """The event as sent to anyone but the author of a hidden card: no text."""
    card = payload.get("card")
    if isinstance(card, dict) and card.get("hidden"):
        return {**payload, "card": withhold(card)}
    return payload


def column_data(column: Column) -> dict[str, Any]:
    return {"id": column.pk, "title": column.title, "position": column.position}


def board_state(board: Board) -> dict[str, Any]:
    """`snapshot.board`: the board's state and the server's clock."""
    return {
        "id": board.pk,
        "title": board.title,
        "workshop": board.workshop_id,
        "phase": board.phase,
        "locked": board.locked,
        "timer_ends_at": iso(board.timer_ends_at),
        "vote_budget": board.vote_budget,
        "now": iso(timezone.now()),
    }


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
