"""The presenter socket (`/ws/boards/<id>/?present=1`, the room's screen): it never
receives a text hidden in silent writing, even when the facilitator who wrote it
opened it, and it changes nothing."""

import pytest
from channels.testing import WebsocketCommunicator

from tests.workshops.conftest import ORIGIN, Socket, db, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Salainen toive <b>x</b>"


async def open_presenter(board_id: int, cookie: str, last_seq: int = 0) -> Socket:
    from config.asgi import application

    comm = WebsocketCommunicator(
        application,
        f"/ws/boards/{board_id}/?present=1",
        headers=[
            (b"host", b"testserver"),
            (b"origin", ORIGIN.encode()),
            (b"cookie", f"sessionid={cookie}".encode()),
        ],
    )
    connected, _ = await comm.connect()
    assert connected
    socket = Socket(comm)
    await socket.send(type="hello", last_seq=last_seq)
    return socket


async def silent_card(fac: Socket, column: int) -> dict:
    """The facilitator's own card written in silent writing (the author's event)."""
    await fac.change("phase.set", "p-silent", phase="silent")
    _, event = await fac.change("card.add", "c-secret", column=column, text=SECRET)
    assert event["event"]["card"]["text"] == SECRET  # the author sees it
    return event


async def test_the_presenter_socket_never_gets_hidden_texts(
    board, columns, facilitator_cookie
):
    fac = await open_socket(board.pk, facilitator_cookie)
    presenter = await open_presenter(board.pk, facilitator_cookie)
    snapshot = await presenter.next("snapshot")
    assert snapshot["you"]["facilitator"] is True
    assert not any(snapshot["you"]["can"].values())  # a screen does nothing

    event = await silent_card(fac, columns[0].pk)
    await presenter.event("phase.set")
    added = await presenter.event("card.added")
    assert added["seq"] == event["seq"]
    assert added["event"]["card"]["text"] is None
    assert added["event"]["card"]["hidden"] is True
    # Neither a new snapshot nor a resync from before the card tells it.
    again = await open_presenter(board.pk, facilitator_cookie)
    [card] = (await again.next("snapshot"))["cards"]
    assert card["text"] is None and card["author"]
    resync = await open_presenter(board.pk, facilitator_cookie, last_seq=1)
    replayed = await resync.event("card.added")
    assert replayed["event"]["card"]["text"] is None
    for socket in (presenter, again, resync):
        assert not any(SECRET in raw for raw in socket.raw)

    # The author's own socket still has it; after the reveal everyone does.
    await fac.change("board.reveal", "r-1")
    revealed = await presenter.event("board.revealed")
    assert revealed["event"]["cards"][0]["text"] == SECRET
    for socket in (fac, presenter, again, resync):
        await socket.close()


async def test_the_presenter_socket_changes_nothing(board, columns, facilitator_cookie):
    presenter = await open_presenter(board.pk, facilitator_cookie)
    await presenter.next("snapshot")
    for kind, fields in (
        ("card.add", {"column": columns[0].pk, "text": "From the screen"}),
        ("board.lock", {}),
    ):
        error = await presenter.error(kind, op=f"op-{kind}", **fields)
        assert error["code"] == "forbidden" and error["op"] == f"op-{kind}"
    assert await presenter.quiet()
    await presenter.close()
    await db(board.refresh_from_db)
    assert board.seq == 0 and not board.locked


async def test_a_participant_presenter_gets_no_hidden_text_either(
    board, columns, alice_cookie, facilitator_cookie
):
    alice = await open_socket(board.pk, alice_cookie)
    fac = await open_socket(board.pk, facilitator_cookie)
    await fac.change("phase.set", "p-1", phase="silent")
    _, mine = await alice.change("card.add", "a-1", column=columns[0].pk, text=SECRET)
    assert mine["event"]["card"]["text"] == SECRET
    presenter = await open_presenter(board.pk, alice_cookie)
    [card] = (await presenter.next("snapshot"))["cards"]
    assert card["text"] is None
    for socket in (alice, fac, presenter):
        await socket.close()
