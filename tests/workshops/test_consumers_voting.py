"""Voting as a phase through the board protocol: when dots may be cast, on which
cards, what each viewer learns of them, and budgets lowered below what was cast."""

import pytest

from tests.workshops.conftest import db, open_socket
from workshops.models import Board, Phase, Vote

pytestmark = pytest.mark.django_db(transaction=True)


async def _card(socket, columns, op="a1", text="Kirjasto auki iltaisin"):
    _, added = await socket.change("card.add", op, column=columns[0].pk, text=text)
    return added["event"]["card"]["id"]


async def test_votes_only_while_voting_is_open(
    board, columns, alice_cookie, facilitator_cookie
):
    fac = await open_socket(board.pk, facilitator_cookie)
    alice = await open_socket(board.pk, alice_cookie)
    assert alice.snapshot["board"]["voting_open"] is False
    card = await _card(alice, columns)
    refused = await alice.error("vote.cast", "v0", card=card)
    assert (refused["code"], refused["op"]) == ("forbidden", "v0")

    _, opened = await fac.change("voting.set", "f1", open=True)
    assert opened["event"] == {"type": "voting.set", "voting_open": True}
    assert (await alice.event("voting.set"))["event"]["voting_open"] is True
    await alice.change("vote.cast", "v1", card=card)

    # A new phase ends what the facilitator chose for the last one.
    _, phase = await fac.change("phase.set", "f2", phase="discuss")
    assert phase["event"] == {
        "type": "phase.set",
        "phase": "discuss",
        "voting_open": False,
    }
    assert (await alice.error("vote.retract", "v2", card=card))["code"] == "forbidden"
    _, phase = await fac.change("phase.set", "f3", phase="vote")
    assert phase["event"]["voting_open"] is True
    _, closed = await fac.change("voting.set", "f4", open=False)
    assert closed["event"]["voting_open"] is False
    assert (await alice.error("vote.cast", "v3", card=card))["code"] == "forbidden"
    assert await db(Vote.objects.count) == 1
    await alice.send(type="hello", last_seq=0)
    snap = await alice.next("snapshot", skip=("presence", "event"))
    assert snap["board"]["voting_open"] is False
    assert snap["you"]["can"]["vote.cast"] is False
    assert (await alice.error("voting.set", "a9", open=True))["code"] == "forbidden"
    await alice.close()
    await fac.close()


async def test_hidden_cards_cannot_be_voted_on(
    board, columns, alice_cookie, bob_cookie
):
    await db(Board.objects.filter(pk=board.pk).update, phase=Phase.SILENT)
    alice = await open_socket(board.pk, alice_cookie)
    card = await _card(alice, columns, text="salainen")
    await db(Board.objects.filter(pk=board.pk).update, voting_choice=True)
    bob = await open_socket(board.pk, bob_cookie)
    refused = await bob.error("vote.cast", "b1", card=card)
    assert refused["code"] == "forbidden"
    assert "salainen" not in str(refused)
    assert (await alice.error("vote.cast", "a2", card=card))["code"] == "forbidden"
    assert await db(Vote.objects.count) == 0
    await alice.close()
    await bob.close()


async def test_a_viewer_learns_the_total_and_only_their_own_dots(
    board, columns, alice, alice_cookie, bob_cookie
):
    await db(Board.objects.filter(pk=board.pk).update, phase=Phase.VOTE)
    alice_socket = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    card = await _card(alice_socket, columns)
    await bob.event("card.added")
    _, cast = await alice_socket.change("vote.cast", "v1", card=card)
    assert cast["event"] == {
        "type": "vote.cast",
        "card": card,
        "votes": 1,
        "participant": alice.pk,
        "my_votes": 1,
        "votes_left": 4,
    }
    seen = await bob.event("vote.cast")
    assert seen["event"] == {"type": "vote.cast", "card": card, "votes": 1}
    # Resyncing from the log keeps them private too.
    await bob.send(type="hello", last_seq=seen["seq"] - 1)
    again = await bob.event("vote.cast")
    assert again["event"] == seen["event"]
    await bob.send(type="hello", last_seq=0)
    snap = await bob.next("snapshot", skip=("presence", "event"))
    assert snap["cards"][0]["votes"] == 1
    assert snap["cards"][0]["my_votes"] == 0
    assert snap["votes_left"] == 5
    await alice_socket.close()
    await bob.close()


async def test_a_lowered_budget_keeps_the_dots_and_blocks_new_ones(
    board, columns, alice, alice_cookie, facilitator_cookie
):
    await db(Board.objects.filter(pk=board.pk).update, phase=Phase.VOTE)
    fac = await open_socket(board.pk, facilitator_cookie)
    socket = await open_socket(board.pk, alice_cookie)
    card = await _card(socket, columns)
    for n in range(3):
        await socket.change("vote.cast", f"v{n}", card=card)
    await fac.change("vote.budget", "f1", budget=1)
    await socket.send(type="hello", last_seq=0)
    snap = await socket.next("snapshot", skip=("presence", "event"))
    assert snap["votes_left"] == 0
    assert snap["cards"][0]["my_votes"] == 3
    assert snap["you"]["can"]["vote.cast"] is False
    assert snap["you"]["can"]["vote.retract"] is True
    refused = await socket.error("vote.cast", "v9", card=card)
    assert refused["code"] == "forbidden"
    assert await db(Vote.objects.count) == 3
    # Taking dots back: still over the budget, then under it, then voting again.
    _, back = await socket.change("vote.retract", "r1", card=card)
    assert back["event"]["votes_left"] == 0
    _, back = await socket.change("vote.retract", "r2", card=card)
    assert (back["event"]["my_votes"], back["event"]["votes_left"]) == (1, 0)
    _, back = await socket.change("vote.retract", "r3", card=card)
    assert back["event"]["votes_left"] == 1
    _, cast = await socket.change("vote.cast", "v10", card=card)
    assert cast["event"]["votes_left"] == 0
    await socket.close()
    await fac.close()
