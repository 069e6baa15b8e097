"""Card and vote changes through the board protocol: add, edit, conflicts, move,
delete, group, votes and budgets, and the dream a card became."""

import pytest

from tests.workshops.conftest import db, open_socket
from workshops import services
from workshops.models import Board, Card, Phase, Vote

pytestmark = pytest.mark.django_db(transaction=True)


# --- Cards ------------------------------------------------------------------------


async def test_card_add_reaches_everyone_as_typed(
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
    assert card["text"] == "Kirjasto <script>alert(1)</script>auki"  # as typed
    assert card["author"] == "Alice" and card["color"] == "blue"
    seen = await bob.event("card.added")
    assert seen["seq"] == 1 and seen["event"]["card"] == card
    await alice.close()
    await bob.close()


async def test_a_card_carries_its_language_which_its_author_can_correct(
    board, columns, alice_cookie, bob_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    _, added = await alice.change(
        "card.add", "l1", column=columns[0].pk, text="Hej allihopa", language="sv"
    )
    assert added["event"]["card"]["language"] == "sv"
    assert (await bob.event("card.added"))["event"]["card"]["language"] == "sv"
    # Without a language the card is in the site's default language.
    _, plain = await alice.change("card.add", "l2", column=columns[0].pk, text="Moi")
    assert plain["event"]["card"]["language"] == "fi"
    # The author corrects it; an edit without a language keeps it.
    card = added["event"]["card"]["id"]
    _, fixed = await alice.change(
        "card.edit", "l3", card=card, text="Hej allihopa!", version=1, language="en"
    )
    assert fixed["event"]["card"]["language"] == "en"
    _, kept = await alice.change(
        "card.edit", "l4", card=card, text="Hej allihopa!!", version=2
    )
    assert kept["event"]["card"]["language"] == "en"
    assert await db(lambda: Card.objects.get(pk=card).language) == "en"
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


async def test_card_group_and_ungroup(
    board, columns, alice_cookie, bob_cookie, facilitator_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    bob = await open_socket(board.pk, bob_cookie)
    _, added = await alice.change("card.add", "a1", column=columns[0].pk, text="x")
    card_id = added["event"]["card"]["id"]
    # Someone else's card: not before the clustering phase.
    error = await bob.error("card.group", "b0", card=card_id, group="Aukiolo")
    assert error["code"] == "forbidden"
    error = await bob.error(
        "card.move", "b0m", card=card_id, column=columns[1].pk, position=0, version=1
    )
    assert error["code"] == "forbidden"
    fac = await open_socket(board.pk, facilitator_cookie)
    await fac.change("phase.set", "f1", phase="cluster")
    await fac.close()
    _, grouped = await bob.change(
        "card.group", "b1", card=card_id, group="Aukiolo <b>ajat</b>"
    )
    assert grouped["event"] == {
        "type": "card.grouped",
        "card": card_id,
        "group": "Aukiolo <b>ajat</b>",
        "version": 2,
    }
    _, ungrouped = await bob.change("card.group", "b2", card=card_id, group=None)
    assert ungrouped["event"]["group"] is None
    await alice.close()
    await bob.close()


# --- Votes ----------------------------------------------------------------------


async def test_votes_cast_within_budget_and_retract(board, columns, alice_cookie):
    await db(Board.objects.filter(pk=board.pk).update, vote_budget=2, phase=Phase.VOTE)
    alice = await open_socket(board.pk, alice_cookie)
    assert alice.snapshot["votes_left"] == 2
    _, added = await alice.change("card.add", "a1", column=columns[0].pk, text="x")
    card_id = added["event"]["card"]["id"]
    assert added["event"]["card"]["my_votes"] == 0
    _, cast = await alice.change("vote.cast", "v1", card=card_id)
    assert cast["event"]["votes"] == 1
    assert cast["event"]["participant"] == alice.snapshot["you"]["id"]
    assert (cast["event"]["my_votes"], cast["event"]["votes_left"]) == (1, 1)
    _, cast = await alice.change("vote.cast", "v2", card=card_id)
    assert cast["event"]["votes"] == 2
    assert (cast["event"]["my_votes"], cast["event"]["votes_left"]) == (2, 0)
    error = await alice.error("vote.cast", "v3", card=card_id)
    assert error["code"] == "forbidden"
    _, retracted = await alice.change("vote.retract", "v4", card=card_id)
    assert retracted["event"]["type"] == "vote.retracted"
    assert retracted["event"]["votes"] == 1
    assert (retracted["event"]["my_votes"], retracted["event"]["votes_left"]) == (1, 1)
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
