"""Read paths of the workshop pages and exports, each with a fixed query count."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.models import Role
from accounts.roles import cities_with_role
from workshops.models import Board, Card, Column, Participant, Workshop


def workshop_list_for_facilitator(*, user) -> QuerySet[Workshop]:
    """Workshops the user facilitates, or may facilitate through a city role."""
    cities = cities_with_role(user, Role.FACILITATOR)
    return (
        Workshop.objects.filter(Q(facilitators=user) | Q(city__in=cities))
        .distinct()
        .select_related("city")
        .annotate(
            participant_count=Count(
                "participants",
                filter=Q(participants__removed_at__isnull=True),
                distinct=True,
            )
        )
        .order_by("-starts_at", "-id")
    )


def participant_list(*, workshop: Workshop) -> QuerySet[Participant]:
    return workshop.participants.filter(removed_at__isnull=True).order_by(
        "display_name", "id"
    )


def board_list(*, workshop: Workshop) -> QuerySet[Board]:
    return workshop.boards.annotate(card_count=Count("cards")).order_by(
        "position", "id"
    )


def board_columns_with_cards(
    *, board: Board, participant_id: int | None
) -> list[dict[str, Any]]:
    """Columns and their cards for the server-rendered list view (2 queries).

    Hidden cards of others appear without their text, as in the protocol.
    """
    columns = list(board.columns.all())
    cards = (
        Card.objects.filter(board=board)
        .select_related("author")
        .annotate(votes=Count("vote_set"))
        .order_by("position", "id")
    )
    by_column: dict[int, list[Card]] = defaultdict(list)
    for card in cards:
        if card.hidden and card.author_id != participant_id:
            card.text = ""
            card.withheld = True
        by_column[card.column_id].append(card)
    return [{"column": c, "cards": by_column[c.pk]} for c in columns]


@dataclass
class ClusterResult:
    name: str
    votes: int = 0
    cards: list[Card] = field(default_factory=list)


@dataclass
class ColumnResult:
    column: Column
    clusters: list[ClusterResult]
    cards: list[Card]  # not in any cluster


@dataclass
class BoardResult:
    board: Board
    columns: list[ColumnResult]


def workshop_results(*, workshop: Workshop) -> list[BoardResult]:
    """Per board and column: clusters and cards ranked by votes (3 queries)."""
    boards = list(workshop.boards.order_by("position", "id"))
    columns = list(
        Column.objects.filter(board__workshop=workshop).order_by("position", "id")
    )
    cards = list(
        Card.objects.filter(board__workshop=workshop, hidden=False)
        .annotate(votes=Count("vote_set"))
        .order_by("-votes", "position", "id")
    )
    cards_by_column: dict[int, list[Card]] = defaultdict(list)
    for card in cards:
        cards_by_column[card.column_id].append(card)
    columns_by_board: dict[int, list[ColumnResult]] = defaultdict(list)
    for column in columns:
        clusters: dict[str, ClusterResult] = {}
        loose: list[Card] = []
        for card in cards_by_column[column.pk]:
            if card.group:
                cluster = clusters.setdefault(card.group, ClusterResult(card.group))
                cluster.votes += card.votes
                cluster.cards.append(card)
            else:
                loose.append(card)
        ranked = sorted(clusters.values(), key=lambda c: (-c.votes, c.name.lower()))
        columns_by_board[column.board_id].append(ColumnResult(column, ranked, loose))
    return [BoardResult(b, columns_by_board[b.pk]) for b in boards]


def result_rows(*, workshop: Workshop) -> list[dict[str, Any]]:
    """One flat row per card, in results order; no author names (open data)."""
    rows = []
    for board_result in workshop_results(workshop=workshop):
        for col in board_result.columns:
            groups = [(cl.name, cl.cards) for cl in col.clusters] + [("", col.cards)]
            for group, cards in groups:
                rows.extend(
                    {
                        "board": board_result.board.title,
                        "column": col.column.title,
                        "cluster": group,
                        "card": card.pk,
                        "text": card.text,
                        "color": card.color,
                        "votes": card.votes,
                        "created_at": card.created_at.isoformat(),
                    }
                    for card in cards
                )
    return rows
