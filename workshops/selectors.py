"""Read paths of the workshop pages and exports, each with a fixed query count."""

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from accounts.models import Role
from accounts.roles import cities_with_role
from core.realtime.presence import lease_start
from ideas import selectors as ideas_selectors
from ideas.models import Dream
from workshops.models import (
    PRESENCE_LEASE,
    Board,
    BoardPhoto,
    BoardTemplate,
    Card,
    Column,
    Participant,
    Presence,
    Vote,
    Workshop,
)

# The results reads live in `workshops.results`; callers find them here too.
from workshops.results import PUBLISHED_PAGE_SIZE as PUBLISHED_PAGE_SIZE
from workshops.results import BoardResult as BoardResult
from workshops.results import ClusterResult as ClusterResult
from workshops.results import ColumnResult as ColumnResult
from workshops.results import PublishedPage as PublishedPage
from workshops.results import published_workshop_list as published_workshop_list
from workshops.results import result_rows as result_rows
from workshops.results import workshop_results as workshop_results
from workshops.rules import Seat, board_can
from workshops.services.events import BOARDS
from workshops.services.participants import BoardAccess
from workshops.services.wire import board_state, card_data, column_data, withhold


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


def board_template_list(*, user) -> QuerySet[BoardTemplate]:
    """Board templates the user may use: their own, and those shared in the
    cities where they facilitate (1 query, the cities as a subquery)."""
    if user is None or not user.is_authenticated:
        return BoardTemplate.objects.none()
    cities = cities_with_role(user, Role.FACILITATOR)
    return (
        BoardTemplate.objects.filter(
            Q(created_by=user) | Q(shared=True, city__in=cities)
        )
        .select_related("city", "created_by")
        .order_by("name", "id")
    )


def participant_list(*, workshop: Workshop) -> QuerySet[Participant]:
    """Who takes part: admitted and not removed."""
    return workshop.participants.filter(
        removed_at__isnull=True, pending=False
    ).order_by("display_name", "id")


def participant_pending_list(*, workshop: Workshop) -> QuerySet[Participant]:
    """Who waits for a facilitator to admit them, first come first."""
    return workshop.participants.filter(removed_at__isnull=True, pending=True).order_by(
        "created_at", "id"
    )


def participant_removed_list(*, workshop: Workshop) -> QuerySet[Participant]:
    """Who was removed (or declined), most recent first: they may be readmitted."""
    return workshop.participants.filter(removed_at__isnull=False).order_by(
        "-removed_at", "id"
    )


def board_list(*, workshop: Workshop) -> QuerySet[Board]:
    return workshop.boards.annotate(card_count=Count("cards")).order_by(
        "position", "id"
    )


def board_columns_with_cards(
    *, board: Board, participant_id: int | None
) -> list[dict[str, Any]]:
    """Columns and their cards for the server-rendered list view (2 queries).

    Hidden cards of others appear without their text, as in the protocol; each
    card has `votes` (all dots) and `my_votes` (the participant's).
    """
    columns = list(board.columns.all())
    cards = (
        Card.objects.filter(board=board)
        .select_related("author")
        .annotate(
            votes=Count("vote_set"),
            my_votes=Count(
                "vote_set", filter=Q(vote_set__participant_id=participant_id)
            ),
        )
        .order_by("position", "id")
    )
    by_column: dict[int, list[Card]] = defaultdict(list)
    for card in cards:
        card.board = board  # the rules read the workshop through it
        if card.hidden and card.author_id != participant_id:
            card.text = ""
            card.from_dream_id = None  # the dream would tell the text
            card.withheld = True
        by_column[card.column_id].append(card)
    return [{"column": c, "cards": by_column[c.pk]} for c in columns]


def workshop_refs_for_dreams(
    workshop_ids: Iterable[int],
) -> dict[int, ideas_selectors.WorkshopRef]:
    """Title and address of each workshop, for the dream page (1 query).

    Registered with `ideas.selectors.register_workshop_resolver`. The address is
    the results page once the results are open data, otherwise the workshop page
    (facilitators manage it there, participants find their boards, anyone else is
    asked for the join code).
    """
    refs = {}
    for workshop in Workshop.objects.filter(pk__in=list(workshop_ids)).only(
        "pk", "title", "starts_at", "closed_at", "results_published"
    ):
        name = (
            "workshops:results"
            if workshop.is_closed and workshop.results_published
            else "workshops:detail"
        )
        refs[workshop.pk] = ideas_selectors.WorkshopRef(
            title=workshop.title,
            url=reverse(name, args=[workshop.pk]),
            starts_at=workshop.starts_at,
        )
    return refs


@dataclass
class DreamChoice:
    dream: Dream
    on_board: bool


@dataclass
class DreamChoicePage:
    choices: list[DreamChoice]
    next_cursor: str | None


def dream_choices(*, board: Board, q: str = "", cursor: str = "") -> DreamChoicePage:
    """Dreams a facilitator may place onto `board`, most supported first.

    The workshop's city's dreams and the all-city ones, neither merged nor turned
    down, each marked when it is already on the board. Three queries (dreams,
    their topics, the board's dream cards), cursor-paginated.
    """
    page = ideas_selectors.dream_list(
        city=board.workshop.city,
        q=q,
        sort="supported",
        cursor=cursor,
        open_only=True,
    )
    on_board = set(
        Card.objects.filter(
            board=board, from_dream_id__in=[d.pk for d in page.dreams]
        ).values_list("from_dream_id", flat=True)
    )
    return DreamChoicePage(
        choices=[DreamChoice(d, d.pk in on_board) for d in page.dreams],
        next_cursor=page.next_cursor,
    )


# --- The live board ------------------------------------------------------------------


def votes_by_card(board_id: int) -> dict[int, int]:
    """Each voted card of the board -> its number of votes (1 query)."""
    return dict(
        Vote.objects.filter(board_id=board_id)
        .values("card_id")
        .annotate(n=Count("id"))
        .values_list("card_id", "n")
    )


def card_votes(card: Card, participant: Participant | None = None) -> int:
    """The card's dots: all of them, or `participant`'s."""
    votes = Vote.objects.filter(card=card)
    if participant is not None:
        votes = votes.filter(participant=participant)
    return votes.count()


def vote_budget_of(board: Board, participant: Participant) -> int:
    """The participant's dot-vote budget: their own, or else the board's."""
    if participant.vote_budget is not None:
        return participant.vote_budget
    return board.vote_budget


def votes_left(board: Board, participant: Participant) -> int:
    used = Vote.objects.filter(board=board, participant=participant).count()
    return max(0, vote_budget_of(board, participant) - used)


def board_viewer(*, board: Board, participant_id: int, user) -> dict[str, Any]:
    """What the board page tells its viewer without JavaScript: their votes left
    and `can` (each board action -> allowed now, as the snapshot's `you.can`).

    `board.workshop` must be loaded. Three queries (the facilitator check may
    add two).
    """
    participant = Participant.objects.get(pk=participant_id)
    left = votes_left(board, participant)
    seat = Seat(board=board, participant=participant, votes_left=left)
    return {"votes_left": left, "can": board_can(user, seat)}


def presence_list(board_id: int) -> list[dict[str, Any]]:
    """Who has the board open, by name, leaving out rows past their lease."""
    rows = (
        Presence.objects.filter(
            board_id=board_id, last_seen__gte=lease_start(PRESENCE_LEASE)
        )
        .values_list("participant_id", "participant__display_name")
        .distinct()
        .order_by("participant__display_name", "participant_id")
    )
    return [{"id": pid, "name": name} for pid, name in rows]


# A board's snapshot at one seq is the same for every viewer but their own hidden
# cards, so its cards and columns are read and encoded once per (board, seq) in
# this process: a room of sockets saying hello, or a flood of hellos, costs one
# read of the cards, not one each (#12: 50 sockets flooding hello swamped the
# database thread). An entry is trusted for SNAPSHOT_REUSE_SECONDS at most, in case
# something changed the board without taking a seq.
SNAPSHOT_REUSE_SECONDS = 2.0
_SNAPSHOT_BOARDS_KEPT = 64


@dataclass
class _BoardPicture:
    seq: int
    board_updated_at: Any  # with seq, tells this board row from any earlier one
    taken: float
    columns: list[dict[str, Any]]
    # (the card as everyone sees it, as others see it while hidden, its author)
    cards: list[tuple[dict[str, Any], dict[str, Any] | None, int]]
    votes_used: dict[int, int]  # participant -> votes cast on this board
    # participant -> {card -> their dots on it}: each viewer's `my_votes`
    dots: dict[int, dict[int, int]]


_pictures: OrderedDict[int, _BoardPicture] = OrderedDict()
_pictures_lock = threading.Lock()


def _picture_kept(board: Board) -> _BoardPicture | None:
    with _pictures_lock:
        picture = _pictures.get(board.pk)
    if picture is None or (picture.seq, picture.board_updated_at) != (
        board.seq,
        board.updated_at,
    ):
        return None
    if time.monotonic() - picture.taken > SNAPSHOT_REUSE_SECONDS:
        return None
    return picture


def _picture_take(board: Board) -> _BoardPicture:
    """The board's cards and columns, read under its row lock (one consistent
    picture with `board.seq`) and kept for the next viewer."""
    votes = votes_by_card(board.pk)
    cards = []
    for card in board.cards.select_related("author").order_by(
        "column__position", "column_id", "position", "id"
    ):
        data = card_data(card, votes.get(card.pk, 0))
        cards.append((data, withhold(data) if card.hidden else None, card.author_id))
    dots: dict[int, dict[int, int]] = defaultdict(dict)
    votes_used: dict[int, int] = defaultdict(int)
    for participant_id, card_id, n in (
        Vote.objects.filter(board_id=board.pk)
        .values("participant_id", "card_id")
        .annotate(n=Count("id"))
        .values_list("participant_id", "card_id", "n")
    ):
        dots[participant_id][card_id] = n
        votes_used[participant_id] += n
    picture = _BoardPicture(
        seq=board.seq,
        board_updated_at=board.updated_at,
        taken=time.monotonic(),
        columns=[column_data(c) for c in board.columns.all()],
        cards=cards,
        votes_used=dict(votes_used),
        dots=dict(dots),
    )
    with _pictures_lock:
        _pictures[board.pk] = picture
        _pictures.move_to_end(board.pk)
        while len(_pictures) > _SNAPSHOT_BOARDS_KEPT:
            _pictures.popitem(last=False)
    return picture


@transaction.atomic
def board_snapshot(*, access: BoardAccess, user=None) -> dict[str, Any]:
    """The whole board as `access`'s participant may see it, at one `seq`.

    `you.can` maps each client action to whether this viewer (`user`, None when
    anonymous) may do it now, by the board rules.
    """
    board = Board.objects.get(pk=access.board_id)
    picture = _picture_kept(board)
    if picture is None:
        # The row lock makes seq, cards and votes one consistent picture.
        board = Board.objects.select_for_update().get(pk=access.board_id)
        picture = _picture_take(board)
    participant = Participant.objects.select_related("workshop").get(
        pk=access.participant_id
    )
    board.workshop = participant.workshop
    viewer = access.viewer_id  # None on a presenter socket: nobody's hidden texts
    # Own dots (none on the room's screen).
    mine = {} if access.presenter else picture.dots.get(participant.pk, {})
    cards = [
        data if withheld is None or author == viewer else withheld
        for data, withheld, author in picture.cards
    ]
    if mine:  # the shared card objects say my_votes 0: copy the viewer's own
        cards = [
            {**card, "my_votes": mine[card["id"]]} if card["id"] in mine else card
            for card in cards
        ]
    votes_left = max(
        0,
        vote_budget_of(board, participant) - picture.votes_used.get(participant.pk, 0),
    )
    seat = Seat(board=board, participant=participant, votes_left=votes_left)
    return {
        "type": "snapshot",
        "seq": board.seq,
        "board": board_state(board),
        "columns": picture.columns,
        "cards": cards,
        "votes_left": votes_left,
        "you": {
            "id": participant.pk,
            "name": participant.display_name,
            "facilitator": access.facilitator,
            "can": presenter_can(board_can(user, seat), access),
        },
        "presence": presence_list(board.pk),
    }


def board_events_since(
    *, access: BoardAccess, last_seq: int
) -> list[dict[str, Any]] | None:
    """The events after `last_seq` as `event` messages, or None: send a snapshot."""
    return BOARDS.events_after(access.board_id, last_seq, viewer_id=access.viewer_id)


def presenter_can(can: dict[str, bool], access: BoardAccess) -> dict[str, bool]:
    """`you.can` as sent: a presenter screen may do nothing."""
    return dict.fromkeys(can, False) if access.presenter else can


# --- Paper and in-person input ------------------------------------------------------


def kit_boards(*, workshop: Workshop) -> list[Board]:
    """The workshop's boards with their columns, for the printable kit (2 queries)."""
    return list(
        workshop.boards.order_by("position", "id").prefetch_related(
            Prefetch("columns", queryset=Column.objects.order_by("position", "id"))
        )
    )


def board_photo_list(*, board: Board) -> list[BoardPhoto]:
    """Every photo of a board, oldest first (1 query): the facilitators' list."""
    return list(BoardPhoto.objects.filter(board=board).order_by("created_at", "id"))


def workshop_results_with_photos(*, workshop: Workshop) -> list[BoardResult]:
    """`workshop_results` with each board's published photos (4 queries)."""
    results = workshop_results(workshop=workshop)
    by_board = {result.board.pk: result for result in results}
    for photo in BoardPhoto.objects.filter(
        board__workshop=workshop, published_at__isnull=False
    ).order_by("created_at", "id"):
        by_board[photo.board_id].photos.append(photo)
    return results
