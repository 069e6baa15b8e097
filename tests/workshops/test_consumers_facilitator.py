"""Who may do what on a board over the socket: the facilitator console, locking,
silent writing and `you.can` in the snapshot."""

import pytest

from tests.workshops.conftest import db, open_socket
from workshops.models import BoardEvent

pytestmark = pytest.mark.django_db(transaction=True)


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
    # Bob may not move Alice's card before the clustering phase (#12's rule) …
    refused = await late.error(
        "card.move", "b9", card=card_id, column=columns[0].pk, position=0, version=1
    )
    assert refused["code"] == "forbidden" and "card" not in refused
    # … and a facilitator's stale move gets the conflict answer, still withheld.
    conflict = await fac.error(
        "card.move", "f9", card=card_id, column=columns[0].pk, position=0, version=1
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


# --- you.can and became_dream ----------------------------------------------------


async def test_snapshot_says_what_the_viewer_may_do_now(
    board, alice_cookie, facilitator_cookie
):
    from workshops.rules import BOARD_ACTIONS, FACILITATOR_ACTIONS

    alice = await open_socket(board.pk, alice_cookie)
    fac = await open_socket(board.pk, facilitator_cookie)
    assert set(alice.snapshot["you"]["can"]) == set(BOARD_ACTIONS)
    # The board opens in open writing: no voting yet.
    voting = {"vote.cast", "vote.retract"}
    assert alice.snapshot["you"]["can"] == {
        action: action not in FACILITATOR_ACTIONS | voting for action in BOARD_ACTIONS
    }
    assert fac.snapshot["you"]["can"] == {
        action: action not in voting for action in BOARD_ACTIONS
    }
    await fac.change("phase.set", "p1", phase="vote")
    await alice.send(type="hello", last_seq=0)
    voting_now = (await alice.next("snapshot", skip=("presence", "event")))["you"]
    assert voting_now["can"]["vote.cast"] and voting_now["can"]["vote.retract"]

    await fac.change("board.lock", "l1")
    await alice.send(type="hello", last_seq=0)
    locked = (await alice.next("snapshot", skip=("presence", "event")))["you"]["can"]
    assert not any(locked.values())
    await fac.send(type="hello", last_seq=0)
    # Facilitators still change a locked board (the server lets them).
    assert all(
        (await fac.next("snapshot", skip=("presence", "event")))["you"]["can"].values()
    )
    await alice.close()
    await fac.close()
