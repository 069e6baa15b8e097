"""The board protocol end to end through the ASGI stack (origin, session, consumer)."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.utils import translation
from django.utils.translation import gettext as _

from tests.workshops.conftest import communicator, open_socket
from workshops import services
from workshops.models import CARDS_PER_BOARD_MAX, Board, BoardEvent, Card, Vote

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


# --- Connecting ------------------------------------------------------------------


async def test_participant_connects_and_gets_a_snapshot(board, columns, alice_cookie):
    socket = await open_socket(board.pk, alice_cookie)
    snap = socket.snapshot
    assert snap["seq"] == 0
    with translation.override("fi"):
        titles = [_("Who"), _("Need"), _("Idea"), _("Prototype")]
    assert [c["title"] for c in snap["columns"]] == titles
    assert snap["cards"] == []
    assert snap["you"]["name"] == "Alice" and snap["you"]["facilitator"] is False
    assert snap["votes_left"] == 5
    assert snap["board"]["phase"] == "open"
    await socket.close()


async def test_refused_without_participant(board):
    comm = communicator(board.pk, cookie=None)
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def test_refused_from_another_origin(board, alice_cookie):
    comm = communicator(board.pk, alice_cookie, origin="https://evil.example")
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def test_refused_to_unknown_board(board, alice_cookie):
    comm = communicator(board.pk + 999, alice_cookie)
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def test_refused_on_a_board_of_another_workshop(
    board, alice_cookie, facilitator, city
):
    other = await db(
        services.workshop_create,
        user=facilitator,
        city=city,
        title="Other",
        starts_at=board.workshop.starts_at,
    )
    other_board = await db(lambda: other.boards.get())
    comm = communicator(other_board.pk, alice_cookie)
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def _presence_until(socket, names: list[str], limit: float = 5) -> None:
    """Read frames until a presence list with exactly `names` arrives; a list that
    never comes fails the test (TimeoutError) instead of looping forever."""
    seen = None
    async with asyncio.timeout(limit):
        while seen != names:
            frame = await socket.comm.receive_json_from(timeout=limit)
            if frame["type"] == "presence":
                seen = [p["name"] for p in frame["participants"]]


async def test_presence_lists_who_is_on_the_board(board, alice_cookie, bob_cookie):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    # Each wait fails the test when that exact list does not arrive in time.
    await _presence_until(alice, ["Alice", "Bob"])
    await bob.close()
    await _presence_until(alice, ["Alice"])
    await alice.close()


async def test_ping_is_answered(board, alice_cookie):
    socket = await open_socket(board.pk, alice_cookie)
    await socket.send(type="ping")
    assert (await socket.next("pong"))["type"] == "pong"
    await socket.close()


# --- Cards ------------------------------------------------------------------------


async def test_card_add_reaches_everyone_sanitised(
    board, columns, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    ack, event = await alice.change(
        "card.add",
        "op-1",
        column=columns[0].pk,
        text="Kirjasto <script>alert(1)</script>auki",
        color="blue",
    )
    assert ack == {"type": "ack", "op": "op-1", "seq": 1}
    assert event["op"] == "op-1"
    card = event["event"]["card"]
    assert event["event"]["type"] == "card.added"
    assert card["text"] == "Kirjasto alert(1)auki"
    assert card["author"] == "Alice" and card["color"] == "blue"
    seen = await bob.event("card.added")
    assert seen["seq"] == 1 and seen["event"]["card"] == card
    await alice.close()
    await bob.close()


async def test_card_edit_by_author_other_and_facilitator(
    board, columns, alice_cookie, bob_cookie, facilitator_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    fac = await open_socket(board.pk, facilitator_cookie)
    _, added = await alice.change("card.add", "a1", column=columns[0].pk, text="one")
    card = added["event"]["card"]
    _, edited = await alice.change(
        "card.edit", "a2", card=card["id"], text="one, better", version=1
    )
    assert edited["event"]["card"]["text"] == "one, better"
    assert edited["event"]["card"]["version"] == 2
    error = await bob.error("card.edit", "b1", card=card["id"], text="mine", version=2)
    assert error["code"] == "forbidden" and error["op"] == "b1"
    _, edited = await fac.change(
        "card.edit", "f1", card=card["id"], text="tidied", version=2
    )
    assert edited["event"]["card"]["version"] == 3
    for socket in (alice, bob, fac):
        await socket.close()


async def test_version_conflict_answers_with_the_current_card(
    board, columns, alice_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    _, added = await alice.change("card.add", "a1", column=columns[0].pk, text="v1")
    card_id = added["event"]["card"]["id"]
    await alice.change("card.edit", "a2", card=card_id, text="v2", version=1)
    error = await alice.error("card.edit", "a3", card=card_id, text="stale", version=1)
    assert error["code"] == "conflict"
    assert error["card"]["text"] == "v2" and error["card"]["version"] == 2
    error = await alice.error(
        "card.move", "a4", card=card_id, column=columns[1].pk, position=0, version=1
    )
    assert error["code"] == "conflict" and error["card"]["version"] == 2
    assert (await db(Card.objects.get, pk=card_id)).text == "v2"
    await alice.close()


async def test_card_move_reorders_and_changes_column(board, columns, alice_cookie):
    alice = await open_socket(board.pk, alice_cookie)
    ids = []
    for i in range(3):
        _, ev = await alice.change(
            "card.add", f"add{i}", column=columns[0].pk, text=f"c{i}"
        )
        ids.append(ev["event"]["card"]["id"])
    _, moved = await alice.change(
        "card.move", "m1", card=ids[2], column=columns[0].pk, position=0, version=1
    )
    assert moved["event"] == {
        "type": "card.moved",
        "card": ids[2],
        "column": columns[0].pk,
        "position": 0,
        "version": 2,
    }
    await alice.change(
        "card.move", "m2", card=ids[0], column=columns[1].pk, position=5, version=1
    )

    def order():
        return {
            col.pk: list(
                Card.objects.filter(column=col)
                .order_by("position")
                .values_list("id", "position")
            )
            for col in columns[:2]
        }

    assert await db(order) == {
        columns[0].pk: [(ids[2], 0), (ids[1], 1)],
        columns[1].pk: [(ids[0], 0)],
    }
    await alice.close()


async def test_card_delete_by_author_only(board, columns, alice_cookie, bob_cookie):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    _, added = await alice.change("card.add", "a1", column=columns[0].pk, text="x")
    card_id = added["event"]["card"]["id"]
    await bob.event("card.added")
    assert (await bob.error("card.delete", "b1", card=card_id))["code"] == "forbidden"
    _, deleted = await alice.change("card.delete", "a2", card=card_id)
    assert deleted["event"] == {"type": "card.deleted", "card": card_id}
    assert (await bob.event("card.deleted"))["seq"] == 2
    assert not await db(Card.objects.filter(pk=card_id).exists)
    await alice.close()
    await bob.close()


async def test_card_group_and_ungroup(board, columns, alice_cookie, bob_cookie):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    _, added = await alice.change("card.add", "a1", column=columns[0].pk, text="x")
    card_id = added["event"]["card"]["id"]
    _, grouped = await bob.change(
        "card.group", "b1", card=card_id, group="Aukiolo <b>ajat</b>"
    )
    assert grouped["event"] == {
        "type": "card.grouped",
        "card": card_id,
        "group": "Aukiolo ajat",
        "version": 2,
    }
    _, ungrouped = await bob.change("card.group", "b2", card=card_id, group=None)
    assert ungrouped["event"]["group"] is None
    await alice.close()
    await bob.close()


# --- Votes ----------------------------------------------------------------------


async def test_votes_cast_within_budget_and_retract(board, columns, alice_cookie):
    await db(Board.objects.filter(pk=board.pk).update, vote_budget=2)
    alice = await open_socket(board.pk, alice_cookie)
    assert alice.snapshot["votes_left"] == 2
    _, added = await alice.change("card.add", "a1", column=columns[0].pk, text="x")
    card_id = added["event"]["card"]["id"]
    _, cast = await alice.change("vote.cast", "v1", card=card_id)
    assert cast["event"]["votes"] == 1
    assert cast["event"]["participant"] == alice.snapshot["you"]["id"]
    _, cast = await alice.change("vote.cast", "v2", card=card_id)
    assert cast["event"]["votes"] == 2
    error = await alice.error("vote.cast", "v3", card=card_id)
    assert error["code"] == "forbidden"
    _, retracted = await alice.change("vote.retract", "v4", card=card_id)
    assert retracted["event"]["type"] == "vote.retracted"
    assert retracted["event"]["votes"] == 1
    await alice.change("vote.retract", "v5", card=card_id)
    error = await alice.error("vote.retract", "v6", card=card_id)
    assert error["code"] == "not_found"
    assert await db(Vote.objects.count) == 0
    await alice.close()


async def test_facilitator_sets_vote_budget(
    board, columns, alice, alice_cookie, facilitator_cookie
):
    fac = await open_socket(board.pk, facilitator_cookie)
    _, ev = await fac.change("vote.budget", "f1", budget=1, participant=alice.pk)
    assert ev["event"] == {
        "type": "vote.budget_set",
        "budget": 1,
        "participant": alice.pk,
    }
    socket = await open_socket(board.pk, alice_cookie)
    assert socket.snapshot["votes_left"] == 1
    assert (await socket.error("vote.budget", "a1", budget=9))["code"] == "forbidden"
    await fac.close()
    await socket.close()


# --- Facilitator console ------------------------------------------------------------

FACILITATOR_ACTIONS = [
    ("phase.set", {"phase": "vote"}, "phase.set"),
    ("timer.start", {"seconds": 300}, "timer.started"),
    ("timer.stop", {}, "timer.stopped"),
    ("board.lock", {}, "board.locked"),
    ("board.unlock", {}, "board.unlocked"),
    ("board.reveal", {}, "board.revealed"),
    ("vote.budget", {"budget": 3}, "vote.budget_set"),
]


@pytest.mark.parametrize(("kind", "fields", "event_type"), FACILITATOR_ACTIONS)
async def test_facilitator_actions_are_facilitators_only(
    board, alice_cookie, facilitator_cookie, kind, fields, event_type
):
    alice = await open_socket(board.pk, alice_cookie)
    error = await alice.error(kind, "a1", **fields)
    assert error["code"] == "forbidden"
    assert await db(BoardEvent.objects.count) == 0
    fac = await open_socket(board.pk, facilitator_cookie)
    _, event = await fac.change(kind, "f1", **fields)
    assert event["event"]["type"] == event_type
    seen = await alice.event(event_type)
    assert seen["seq"] == 1
    await alice.close()
    await fac.close()


async def test_listed_facilitator_without_city_role(board, workshop, other_city):
    from tests.factories import UserFactory
    from tests.workshops.conftest import user_cookie

    helper = await db(UserFactory)
    await db(workshop.facilitators.add, helper)
    cookie = await db(user_cookie, helper)
    socket = await open_socket(board.pk, cookie)
    assert socket.snapshot["you"]["facilitator"] is True
    await socket.change("phase.set", "p1", phase="cluster")
    await socket.close()


async def test_timer_deadline_is_held_by_the_server(
    board, alice_cookie, facilitator_cookie
):
    fac = await open_socket(board.pk, facilitator_cookie)
    alice = await open_socket(board.pk, alice_cookie)
    _, started = await fac.change("timer.start", "t1", seconds=120)
    ends_at = started["event"]["ends_at"]
    assert (await alice.event("timer.started"))["event"]["ends_at"] == ends_at
    late = await open_socket(board.pk, alice_cookie)
    assert late.snapshot["board"]["timer_ends_at"] == ends_at
    for socket in (fac, alice, late):
        await socket.close()


async def test_locked_board_refuses_participants(
    board, columns, alice_cookie, facilitator_cookie
):
    fac = await open_socket(board.pk, facilitator_cookie)
    alice = await open_socket(board.pk, alice_cookie)
    await fac.change("board.lock", "f1")
    await alice.event("board.locked")
    error = await alice.error("card.add", "a1", column=columns[0].pk, text="x")
    assert error["code"] == "locked"
    await fac.change("card.add", "f2", column=columns[0].pk, text="facilitator note")
    await fac.change("board.unlock", "f3")
    await alice.event("card.added")
    await alice.event("board.unlocked")
    await alice.change("card.add", "a2", column=columns[0].pk, text="x")
    await fac.close()
    await alice.close()


# --- Silent writing ---------------------------------------------------------------


async def test_silent_writing_withholds_text_until_reveal(
    board, columns, alice_cookie, bob_cookie, facilitator_cookie
):
    secret = "salainen-ajatus-42"
    fac = await open_socket(board.pk, facilitator_cookie)
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    await fac.change("phase.set", "f1", phase="silent")
    await alice.event("phase.set")
    await bob.event("phase.set")

    _, own = await alice.change("card.add", "a1", column=columns[0].pk, text=secret)
    assert own["event"]["card"]["text"] == secret
    assert own["event"]["card"]["hidden"] is True
    card_id = own["event"]["card"]["id"]
    others = await bob.event("card.added")
    assert others["seq"] == own["seq"] == 2
    assert others["event"]["card"]["hidden"] is True
    assert others["event"]["card"]["text"] is None
    await fac.event("card.added")
    _, edited = await alice.change(
        "card.edit", "a2", card=card_id, text=secret + "!", version=1
    )
    assert (await bob.event("card.edited"))["event"]["card"]["text"] is None

    # Nor through a fresh snapshot, a resync, or a conflict answer.
    late = await open_socket(board.pk, bob_cookie)
    assert late.snapshot["cards"][0]["text"] is None
    await late.send(type="hello", last_seq=1)
    await late.event("card.added")
    await late.event("card.edited")
    conflict = await late.error(
        "card.move", "b9", card=card_id, column=columns[0].pk, position=0, version=1
    )
    assert conflict["code"] == "conflict" and conflict["card"]["text"] is None
    own_snapshot = await open_socket(board.pk, alice_cookie)
    assert own_snapshot.snapshot["cards"][0]["text"] == secret + "!"
    for socket in (bob, fac, late):
        assert not any(secret in raw for raw in socket.raw)

    _, revealed = await fac.change("board.reveal", "f2")
    assert revealed["event"]["phase"] == "reveal"
    assert [c["text"] for c in revealed["event"]["cards"]] == [secret + "!"]
    shown = await bob.event("board.revealed")
    assert shown["event"]["cards"][0]["text"] == secret + "!"
    assert shown["event"]["cards"][0]["hidden"] is False
    for socket in (fac, alice, bob, late, own_snapshot):
        await socket.close()


# --- Reliability ------------------------------------------------------------------


async def test_retried_op_is_applied_once(board, columns, alice_cookie):
    alice = await open_socket(board.pk, alice_cookie)
    ack, _ = await alice.change("card.add", "same-op", column=columns[0].pk, text="x")
    await alice.send(type="card.add", op="same-op", column=columns[0].pk, text="x")
    again = await alice.next("ack")
    assert again == ack
    assert await alice.quiet()
    assert await db(Card.objects.count) == 1
    assert await db(BoardEvent.objects.count) == 1
    await alice.close()


async def test_resync_after_a_dropped_connection(
    board, columns, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    await alice.change("card.add", "a1", column=columns[0].pk, text="before")
    await bob.event("card.added")
    await bob.close()  # bob's connection drops at seq 1
    expected = []
    for i in range(3):
        _, ev = await alice.change(
            "card.add", f"a{i + 2}", column=columns[1].pk, text=f"missed {i}"
        )
        expected.append(ev)
    bob = await open_socket(board.pk, bob_cookie, hello=False)
    await bob.send(type="hello", last_seq=1)
    missed = [await bob.next("event") for _ in range(3)]
    assert missed == expected
    assert await bob.quiet()
    # Too far ahead (another database?) or nothing known: a snapshot.
    await bob.send(type="hello", last_seq=99)
    snap = await bob.next("snapshot")
    assert snap["seq"] == 4 and len(snap["cards"]) == 4
    await alice.close()
    await bob.close()


async def test_seq_is_gap_free_under_concurrent_writers(
    board, columns, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    for i in range(5):
        await alice.send(type="card.add", op=f"a{i}", column=columns[0].pk, text="a")
        await bob.send(type="card.add", op=f"b{i}", column=columns[0].pk, text="b")
    seqs = {"alice": [], "bob": []}
    for name, socket in (("alice", alice), ("bob", bob)):
        while len(seqs[name]) < 10:
            frame = await socket.next("event", "ack")
            if frame["type"] == "event":
                seqs[name].append(frame["seq"])
    assert sorted(seqs["alice"]) == sorted(seqs["bob"]) == list(range(1, 11))
    await alice.close()
    await bob.close()


async def test_removed_participant_is_disconnected(
    board, alice, alice_cookie, bob_cookie, facilitator
):
    alice_socket = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    await db(services.participant_remove, user=facilitator, participant=alice)
    removed = await alice_socket.event("participant.removed")
    assert removed["event"]["participant"] == alice.pk
    output = await alice_socket.comm.receive_output(timeout=2)
    while output["type"] == "websocket.send":
        output = await alice_socket.comm.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": 4403}
    assert (await bob.event("participant.removed"))["event"]["participant"] == alice.pk
    comm = communicator(board.pk, alice_cookie)
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()
    await bob.close()


# --- Errors and limits ------------------------------------------------------------


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        '{"type": "card.fly", "op": "x"}',
        '{"type": "card.add", "column": 1, "text": "no op"}',
        '{"type": "card.add", "op": "x", "text": "no column"}',
        '{"type": "card.add", "op": "x", "column": "1", "text": "t"}',
        '{"type": "card.add", "op": "x", "column": 1, "text": "   "}',
        '{"type": "card.add", "op": "x", "column": 1, "text": "t", "color": "red"}',
        '{"type": "card.group", "op": "x", "card": 1}',
        '{"type": "phase.set", "op": "x", "phase": "party"}',
        '{"type": "timer.start", "op": "x", "seconds": 0}',
        '{"type": "hello", "last_seq": -1}',
    ],
)
async def test_invalid_messages(board, alice_cookie, frame):
    socket = await open_socket(board.pk, alice_cookie)
    await socket.comm.send_to(text_data=frame)
    error = await socket.next("error")
    assert error["code"] == "invalid" and error["message"]
    assert await db(BoardEvent.objects.count) == 0
    await socket.close()


async def test_not_found(board, columns, alice_cookie):
    socket = await open_socket(board.pk, alice_cookie)
    error = await socket.error("card.add", "a1", column=999_999, text="x")
    assert error["code"] == "not_found"
    error = await socket.error("card.delete", "a2", card=999_999)
    assert error["code"] == "not_found"
    await socket.close()


async def test_too_large_message_and_text(board, columns, alice_cookie):
    socket = await open_socket(board.pk, alice_cookie)
    await socket.comm.send_to(text_data='{"type": "ping", "pad": "' + "x" * 8200 + '"}')
    assert (await socket.next("error"))["code"] == "too_large"
    error = await socket.error("card.add", "a1", column=columns[0].pk, text="y" * 501)
    assert error["code"] == "too_large"
    await socket.change("card.add", "a2", column=columns[0].pk, text="y" * 500)
    await socket.send(type="ping")  # the connection stays open
    await socket.next("pong")
    await socket.close()


async def test_board_card_cap(board, columns, alice, alice_cookie):
    def fill():
        Card.objects.bulk_create(
            Card(board=board, column=columns[0], author=alice, text="x", position=i)
            for i in range(CARDS_PER_BOARD_MAX)
        )

    await db(fill)
    socket = await open_socket(board.pk, alice_cookie)
    error = await socket.error("card.add", "a1", column=columns[0].pk, text="one more")
    assert error["code"] == "too_large"
    assert await db(Card.objects.count) == CARDS_PER_BOARD_MAX
    await socket.close()


async def test_rate_limited_per_connection(board, columns, alice_cookie, monkeypatch):
    from workshops import consumers

    # The real burst, but (almost) no refill: the outcome no longer depends on
    # how fast this machine's database is.
    monkeypatch.setattr(consumers, "CHANGE_RATE", 0.001)
    socket = await open_socket(board.pk, alice_cookie)
    for i in range(30):
        await socket.send(type="card.add", op=f"r{i}", column=columns[0].pk, text="x")
    codes = []
    acks = 0
    while acks + len(codes) < 30:
        # Twenty commits in a row: a slow disk must not make one frame miss the
        # harness's usual 3 s wait.
        frame = await socket.next("ack", "event", "error", timeout=10)
        if frame["type"] == "ack":
            acks += 1
        elif frame["type"] == "error":
            codes.append(frame["code"])
    assert codes == ["rate_limited"] * 10
    assert acks == consumers.CHANGE_BURST == 20
    assert await db(Card.objects.count) == acks
    await socket.send(type="ping")  # still connected
    await socket.next("pong")
    await socket.close()


# --- you.can and became_dream ----------------------------------------------------


async def test_snapshot_says_what_the_viewer_may_do_now(
    board, alice_cookie, facilitator_cookie
):
    from workshops.rules import BOARD_ACTIONS, FACILITATOR_ACTIONS

    alice = await open_socket(board.pk, alice_cookie)
    fac = await open_socket(board.pk, facilitator_cookie)
    assert set(alice.snapshot["you"]["can"]) == set(BOARD_ACTIONS)
    assert alice.snapshot["you"]["can"] == {
        action: action not in FACILITATOR_ACTIONS for action in BOARD_ACTIONS
    }
    assert fac.snapshot["you"]["can"] == dict.fromkeys(BOARD_ACTIONS, True)

    await fac.change("board.lock", "l1")
    await alice.send(type="hello", last_seq=0)
    locked = (await alice.next("snapshot", skip=("presence", "event")))["you"]["can"]
    assert not any(locked.values())
    await fac.send(type="hello", last_seq=0)
    assert all(
        (await fac.next("snapshot", skip=("presence", "event")))["you"]["can"].values()
    )
    await alice.close()
    await fac.close()


async def test_cards_carry_the_dream_they_became(
    board, columns, workshop, facilitator, alice_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    _, added = await alice.change(
        "card.add", "a1", column=columns[0].pk, text="Kirjasto auki iltaisin"
    )
    card_id = added["event"]["card"]["id"]
    assert added["event"]["card"]["became_dream"] is None
    card = await db(Card.objects.get, pk=card_id)
    dream = await db(
        services.card_dream_create,
        workshop=workshop,
        card=card,
        by=facilitator,
        title="Kirjasto auki iltaisin",
        city=None,
        target_group="seniors",
    )
    await alice.send(type="hello", last_seq=0)
    snap = await alice.next("snapshot", skip=("presence", "event"))
    assert snap["cards"][0]["became_dream"] == dream.pk
    await alice.close()


# --- A busy database -------------------------------------------------------------


async def test_a_busy_database_closes_the_socket_to_retry_and_writes_nothing(
    board, columns, alice_cookie, monkeypatch
):
    """A pool timeout (or any database failure) during a change closes the socket
    with 1013 "try again later" instead of killing the consumer: the client
    reconnects and re-sends, presence is left, and nothing was committed."""
    from django.db import OperationalError

    from workshops.models import Presence

    socket = await open_socket(board.pk, alice_cookie)

    def busy(**kwargs):
        raise OperationalError("couldn't get a connection after 10.00 sec")

    monkeypatch.setattr(services, "board_change", busy)
    await socket.send(
        type="card.add", op="busy-1", column=columns[0].pk, text="Odottaa"
    )
    closed = await socket.comm.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 1013}
    await socket.comm.disconnect()
    assert await db(lambda: Card.objects.filter(board=board).count()) == 0
    assert await db(lambda: Presence.objects.filter(board=board).count()) == 0
