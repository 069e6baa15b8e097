"""A board's snapshot is read once per seq and shared by everyone saying hello,
each still seeing only what they may (their own hidden cards, their own votes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workshops import selectors, services
from workshops.models import Board, Phase
from workshops.protocol import Message

pytestmark = pytest.mark.django_db


def _access(board, participant):
    return services.BoardAccess(
        board.pk, board.workshop_id, participant.pk, participant.display_name, False
    )


def _change(board, participant, kind, op, **fields):
    message = Message(type=kind, op=op, fields=fields)
    return services.board_change(
        access=_access(board, participant), user=None, message=message
    )


def _card_reads(queries) -> int:
    return sum('FROM "workshops_card"' in q["sql"] for q in queries)


def test_a_room_saying_hello_reads_the_cards_once(board, columns, alice, bob):
    for n in range(3):
        _change(board, alice, "card.add", f"a{n}", column=columns[0].pk, text=f"c{n}")
    with CaptureQueriesContext(connection) as first:
        selectors.board_snapshot(access=_access(board, alice))
    with CaptureQueriesContext(connection) as others:
        for _ in range(5):
            snapshot = selectors.board_snapshot(access=_access(board, bob))
    assert _card_reads(first.captured_queries) == 1
    assert _card_reads(others.captured_queries) == 0
    assert [c["text"] for c in snapshot["cards"]] == ["c0", "c1", "c2"]


def test_a_change_makes_the_next_hello_read_the_board_again(board, columns, alice):
    _change(board, alice, "card.add", "a0", column=columns[0].pk, text="before")
    selectors.board_snapshot(access=_access(board, alice))
    _change(board, alice, "card.add", "a1", column=columns[0].pk, text="after")
    snapshot = selectors.board_snapshot(access=_access(board, alice))
    assert [c["text"] for c in snapshot["cards"]] == ["before", "after"]
    assert snapshot["seq"] == board.__class__.objects.get(pk=board.pk).seq


def test_shared_snapshots_still_hide_others_silent_cards(
    board, columns, alice, bob, facilitator
):
    _change(board, alice, "card.add", "a0", column=columns[0].pk, text="open")
    board.phase = Phase.SILENT
    board.save(update_fields=["phase", "updated_at"])
    _change(board, alice, "card.add", "a1", column=columns[0].pk, text="alice secret")
    _change(board, bob, "card.add", "b1", column=columns[0].pk, text="bob secret")
    alices = selectors.board_snapshot(access=_access(board, alice))
    bobs = selectors.board_snapshot(access=_access(board, bob))
    assert [c.get("text") for c in alices["cards"]] == ["open", "alice secret", None]
    assert [c.get("text") for c in bobs["cards"]] == ["open", None, "bob secret"]
    assert "alice secret" not in str(bobs) and "bob secret" not in str(alices)


def test_votes_left_are_each_viewers_own_at_the_snapshots_seq(
    board, columns, alice, bob
):
    added = _change(board, alice, "card.add", "a0", column=columns[0].pk, text="x")
    card = board.events.get(seq=added.seq).payload["card"]["id"]
    Board.objects.filter(pk=board.pk).update(phase=Phase.VOTE)
    _change(board, alice, "vote.cast", "v1", card=card)
    _change(board, alice, "vote.cast", "v2", card=card)
    bobs = selectors.board_snapshot(access=_access(board, bob))
    budget = bobs["votes_left"]
    alices = selectors.board_snapshot(access=_access(board, alice))
    assert alices["votes_left"] == budget - 2
    assert alices["cards"][0]["votes"] == 2
    # Each viewer's own dots, never another's.
    assert alices["cards"][0]["my_votes"] == 2
    assert bobs["cards"][0]["votes"] == 2
    assert bobs["cards"][0]["my_votes"] == 0
    assert alices["board"]["voting_open"] is True
