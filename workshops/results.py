"""Results reads: a workshop's results ranked per column and cluster, their flat
rows for the downloads, and the public list of workshops with published results.

Re-exported by `workshops.selectors`, where callers find them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q

from core.cursors import cursor_decode, cursor_encode
from core.models import City
from workshops.models import Board, BoardPhoto, Card, Column, Workshop

__all__ = [
    "PUBLISHED_PAGE_SIZE",
    "BoardResult",
    "ClusterResult",
    "ColumnResult",
    "PublishedPage",
    "published_workshop_list",
    "result_rows",
    "workshop_results",
]


@dataclass
class ClusterResult:
    name: str
    votes: int = 0
    cards: list[Card] = field(default_factory=list)
    rank: int = 0  # among the column's clusters and unclustered cards
    is_cluster = True  # (a class attribute) tells it from a card in `ranked`


@dataclass
class ColumnResult:
    column: Column
    clusters: list[ClusterResult]
    cards: list[Card]  # not in any cluster
    # Clusters and unclustered cards together, most votes first (each has `rank`).
    ranked: list[ClusterResult | Card] = field(default_factory=list)


@dataclass
class BoardResult:
    board: Board
    columns: list[ColumnResult]
    # Published flipchart photos (filled by `workshop_results_with_photos`).
    photos: list[BoardPhoto] = field(default_factory=list)


def _rank(items: list[Any], votes) -> None:
    """Set `rank` on items sorted by votes, descending: ties share a rank and
    the next rank skips them (1, 2, 2, 4), as a results list reads."""
    rank = 0
    for index, item in enumerate(items):
        if index == 0 or votes(item) != votes(items[index - 1]):
            rank = index + 1
        item.rank = rank


def workshop_results(*, workshop: Workshop) -> list[BoardResult]:
    """Per board and column: clusters and cards ranked by votes (3 queries).

    In a column, clusters (by their summed votes) and unclustered cards are
    ranked together; in a cluster, its cards. Hidden cards are never included.
    """
    boards = list(workshop.boards.order_by("position", "id"))
    for board in boards:
        board.workshop = workshop  # the rules read the workshop through the card
    boards_by_id = {board.pk: board for board in boards}
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
        card.board = boards_by_id[card.board_id]
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
        for cluster in clusters.values():
            _rank(cluster.cards, lambda c: c.votes)
        ranked_clusters = sorted(
            clusters.values(), key=lambda c: (-c.votes, c.name.lower())
        )
        # Stable: at equal votes clusters come before single cards.
        together = sorted([*ranked_clusters, *loose], key=lambda item: -item.votes)
        _rank(together, lambda item: item.votes)
        columns_by_board[column.board_id].append(
            ColumnResult(column, ranked_clusters, loose, together)
        )
    return [BoardResult(b, columns_by_board[b.pk]) for b in boards]


def result_rows(*, workshop: Workshop) -> list[dict[str, Any]]:
    """One flat row per card, in results order; no author names (open data).

    `rank` is the card's place in its column (its cluster's, for a clustered
    card), `cluster_votes` the cluster's sum and `rank_in_cluster` its place
    there (both empty for a card in no cluster).
    """
    rows = []
    for board_result in workshop_results(workshop=workshop):
        for col in board_result.columns:
            for item in col.ranked:
                clustered = isinstance(item, ClusterResult)
                for card in item.cards if clustered else [item]:
                    rows.append(
                        {
                            "board": board_result.board.title,
                            "column": col.column.title,
                            "rank": item.rank,
                            "cluster": item.name if clustered else "",
                            "cluster_votes": item.votes if clustered else "",
                            "rank_in_cluster": card.rank if clustered else "",
                            "card": card.pk,
                            "text": card.text,
                            "color": card.color,
                            "votes": card.votes,
                            "channel": card.channel,
                            "created_at": card.created_at.isoformat(),
                        }
                    )
    return rows


PUBLISHED_PAGE_SIZE = 20


@dataclass
class PublishedPage:
    workshops: list[Workshop]
    next_cursor: str | None


def published_workshop_list(
    *, city: City | None = None, cursor: str = "", limit: int | None = None
) -> PublishedPage:
    """Workshops whose results anyone may read (closed and published), the most
    recently published first, of one city or all; keyset-paginated (1 query).

    Each has `card_count` (the cards in its results: hidden ones never count)
    and its city loaded.
    """
    limit = PUBLISHED_PAGE_SIZE if limit is None else limit
    workshops = Workshop.objects.filter(results_published=True, closed_at__isnull=False)
    if city is not None:
        workshops = workshops.filter(city=city)
    position = cursor_decode(cursor, kind=datetime)
    if position is not None:
        published_at, pk = position
        workshops = workshops.filter(
            Q(results_published_at__lt=published_at)
            | Q(results_published_at=published_at, pk__lt=pk)
        )
    rows = list(
        workshops.select_related("city")
        .annotate(
            card_count=Count(
                "boards__cards", filter=Q(boards__cards__hidden=False), distinct=True
            )
        )
        .order_by("-results_published_at", "-pk")[: limit + 1]
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = cursor_encode(last.results_published_at, last.pk)
    return PublishedPage(workshops=rows, next_cursor=next_cursor)
