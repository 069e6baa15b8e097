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

# Vote events as sent to the voter (`private_to`); everyone else gets the card's
# new total only, never whose dots they were.
VOTE_EVENTS = frozenset({"vote.cast", "vote.retracted"})
_VOTER_FIELDS = ("participant", "my_votes", "votes_left")


def card_data(card: Card, votes: int = 0, my_votes: int | None = 0) -> dict[str, Any]:
    """A card object of snapshots and events (`author` must be loaded).

    `my_votes`: the viewer's own dots on it; None leaves it out (an event that
    goes to everyone alike and does not change the votes: keep the one you have).
    """
    data = {
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
    if my_votes is not None:
        data["my_votes"] = my_votes
    return data


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
    """The event as sent to anyone but its `private_to`: a hidden card without
    its text, a vote without the voter and their dots."""
    if payload.get("type") in VOTE_EVENTS:
        return {k: v for k, v in payload.items() if k not in _VOTER_FIELDS}
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
        "voting_open": board.voting_open,
        "now": iso(timezone.now()),
    }


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
