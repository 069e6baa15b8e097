"""Placed dreams and column edits reach open boards live, in the board's sequence,
and a reconnecting client resyncs them."""

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError

from ideas.models import DreamStatus
from tests.ideas.factories import DreamFactory
from tests.workshops.conftest import open_socket
from workshops import services
from workshops.models import Board, Phase

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


async def place(board, column, dreams, by):
    return await db(
        services.cards_place_dreams, board=board, column=column, dreams=dreams, by=by
    )


async def test_participants_receive_placed_dreams_as_numbered_cards(
    board, columns, city, facilitator, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    await alice.change("card.add", "a1", column=columns[0].pk, text="oma kortti")
    await bob.event("card.added")
    dreams = [await db(DreamFactory, city=city) for _ in range(3)]
    cards = await place(board, columns[1], dreams, facilitator)
    for socket in (alice, bob):
        events = [await socket.event("card.added") for _ in range(3)]
        assert [e["seq"] for e in events] == [2, 3, 4]
        assert [e["event"]["card"]["id"] for e in events] == [c.pk for c in cards]
        assert [e["event"]["card"]["from_dream"] for e in events] == [
            d.pk for d in dreams
        ]
        # As typed (#12); the board sets it as textContent, never as markup.
        assert all(
            "<script>alert(1)</script>" in e["event"]["card"]["text"] for e in events
        )
        assert all("op" not in e for e in events)
        assert await socket.quiet()
    dream = await db(lambda: type(dreams[0]).objects.get(pk=dreams[0].pk))
    assert dream.status == DreamStatus.IN_WORKSHOP
    await alice.close()
    await bob.close()


async def test_a_refused_placement_sends_nothing(
    board, columns, city, other_city, facilitator, alice_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    dreams = [
        await db(DreamFactory, city=city),
        await db(DreamFactory, city=other_city),
    ]
    with pytest.raises(ValidationError):
        await place(board, columns[0], dreams, facilitator)
    assert await alice.quiet(timeout=0.5)
    assert (await db(Board.objects.get, pk=board.pk)).seq == 0
    await alice.close()


async def test_silent_writing_withholds_placed_dreams(
    board, columns, city, facilitator, facilitator_cookie, bob_cookie
):
    fac = await open_socket(board.pk, facilitator_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    await fac.change("phase.set", "f1", phase=Phase.SILENT)
    await bob.event("phase.set")
    dream = await db(DreamFactory, city=city, title="Salainen yöbussiunelma")
    await place(board, columns[0], [dream], facilitator)
    own = await fac.event("card.added")
    assert own["event"]["card"]["text"].startswith("Salainen yöbussiunelma")
    assert own["event"]["card"]["from_dream"] == dream.pk
    others = await bob.event("card.added")
    assert others["seq"] == own["seq"] == 2
    assert others["event"]["card"]["hidden"] is True
    assert others["event"]["card"]["text"] is None
    assert others["event"]["card"]["from_dream"] is None
    # Nor through a snapshot or a resync.
    late = await open_socket(board.pk, bob_cookie)
    assert late.snapshot["cards"][0]["text"] is None
    assert late.snapshot["cards"][0]["from_dream"] is None
    await late.send(type="hello", last_seq=1)
    resent = await late.event("card.added")
    assert resent["event"]["card"]["text"] is None
    for socket in (bob, late):
        assert not any("yöbussiunelma" in raw for raw in socket.raw)
    _, revealed = await fac.change("board.reveal", "f2")
    shown = (await bob.event("board.revealed"))["event"]["cards"][0]
    assert shown["text"].startswith("Salainen yöbussiunelma")
    assert shown["from_dream"] == dream.pk
    for socket in (fac, bob, late):
        await socket.close()


async def test_column_edits_reach_open_boards_in_sequence(
    board, columns, facilitator, alice_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    column = await db(services.column_add, user=facilitator, board=board, title="Uusi")
    added = await alice.event("column.added")
    assert added["seq"] == 1
    assert added["event"]["column"] == {
        "id": column.pk,
        "title": "Uusi",
        "position": 4,
    }
    await db(services.column_rename, user=facilitator, column=column, title="Muu")
    renamed = await alice.event("column.renamed")
    assert renamed["seq"] == 2 and renamed["event"]["column"]["title"] == "Muu"
    await db(services.column_move, user=facilitator, column=column, offset=-4)
    reordered = await alice.event("columns.reordered")
    assert reordered["seq"] == 3
    assert [c["id"] for c in reordered["event"]["columns"]] == [column.pk] + [
        c.pk for c in columns
    ]
    # A card can go into the new column at once.
    await alice.change("card.add", "a1", column=column.pk, text="uuteen sarakkeeseen")
    await alice.close()


async def test_resync_replays_missed_dreams_and_column_edits(
    board, columns, city, facilitator, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    await alice.change("card.add", "a1", column=columns[0].pk, text="ennen")
    await bob.event("card.added")
    await bob.close()  # bob drops at seq 1
    column = await db(
        services.column_add, user=facilitator, board=board, title="Unelmat"
    )
    await place(board, column, [await db(DreamFactory, city=city)], facilitator)
    await db(services.column_rename, user=facilitator, column=columns[0], title="Ketkä")
    await db(services.column_move, user=facilitator, column=column, offset=-10)
    expected = [await alice.event() for _ in range(4)]
    assert [e["event"]["type"] for e in expected] == [
        "column.added",
        "card.added",
        "column.renamed",
        "columns.reordered",
    ]
    bob = await open_socket(board.pk, bob_cookie, hello=False)
    await bob.send(type="hello", last_seq=1)
    missed = [await bob.next("event") for _ in range(4)]
    assert missed == expected
    assert [m["seq"] for m in missed] == [2, 3, 4, 5]
    assert await bob.quiet()
    # A fresh snapshot shows the same board.
    await bob.send(type="hello", last_seq=0)
    snap = await bob.next("snapshot")
    assert snap["seq"] == 5
    assert [c["title"] for c in snap["columns"]][:2] == ["Unelmat", "Ketkä"]
    assert [c["column"] for c in snap["cards"] if c["from_dream"]] == [column.pk]
    await alice.close()
    await bob.close()
