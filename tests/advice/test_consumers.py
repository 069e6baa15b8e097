"""The chat protocol, two-sided: a resident on `ws/advice/chats/<id>/` and an
advisor on `ws/advice/desk/` — queue, accept, messages, typing, notes, transfer,
close, block, reconnect."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.db import connection

from advice.models import Chat, ChatEvent, ChatMessage, ChatStatus
from advice.services import chats
from advice.services.events import CHATS
from tests.advice.conftest import (
    communicator,
    open_chat,
    open_desk_socket,
    resident_cookie,
    start,
    user_cookie,
)
from tests.advice.factories import advisor

pytestmark = pytest.mark.django_db(transaction=True)


# PostgreSQL: each test on the stream threads and on Channels' one database thread
# (`REALTIME_DB_THREADS=1`); the desk may not rely on two calls running at once.
# SQLite runs the stream calls on one thread either way.
THREADS = [4, 1] if connection.vendor == "postgresql" else [4]


@pytest.fixture(autouse=True, params=THREADS, ids=lambda n: f"db-threads-{n}")
def _db_threads(request, settings):
    settings.REALTIME_DB_THREADS = request.param


@database_sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


async def started(city, **kwargs):
    chat, key = await db(start, city, **kwargs)
    return chat, await db(resident_cookie, chat, key)


async def test_only_the_session_that_started_the_chat_connects(open_desk, aino):
    chat, cookie = await started(open_desk)
    other, other_cookie = await started(open_desk)
    for path_chat, who in ((chat.pk, other_cookie), (chat.pk, None), (10**9, cookie)):
        comm = communicator(f"/ws/advice/chats/{path_chat}/", who)
        connected, _ = await comm.connect()
        assert not connected
    # A page on another origin cannot open the resident's socket.
    comm = communicator(
        f"/ws/advice/chats/{chat.pk}/", cookie, origin="http://evil.test"
    )
    connected, _ = await comm.connect()
    assert not connected
    socket = await open_chat(chat.pk, cookie)
    snapshot = socket.snapshot
    assert snapshot["seq"] == 1 and snapshot["chat"]["status"] == "queued"
    assert snapshot["chat"]["queue_position"] == 1
    assert snapshot["messages"][0]["text"] == "Miten haen oleskelulupaa?"
    await socket.close()


async def test_a_whole_conversation_both_sides(open_desk, aino):
    desk_socket = await open_desk_socket(await db(user_cookie, aino.user))
    assert desk_socket.desk["you"]["languages"] == ["en", "fi", "ru"]
    assert desk_socket.queue == {"type": "queue", "chats": []}
    chat, cookie = await started(open_desk, origin_path="/dreams/new/")
    # The queue comes whole on the change.
    queue = await desk_socket.next("queue")
    assert [row["id"] for row in queue["chats"]] == [chat.pk]
    assert queue["chats"][0]["origin_path"] == "/dreams/new/"
    resident = await open_chat(chat.pk, cookie)
    ack, event = await resident.change("message.send", "r1", text="Onko <b>ketään</b>?")
    assert ack == {"type": "ack", "op": "r1", "seq": 2}
    assert event["event"]["message"]["text"] == "Onko <b>ketään</b>?"

    await desk_socket.send(type="chat.accept", op="a1", chat=chat.pk)
    ack = await desk_socket.next("ack", skip=("queue",))
    assert ack == {"type": "ack", "op": "a1", "seq": 3, "chat": chat.pk}
    snap = await desk_socket.next("snapshot", skip=("queue", "event"))
    assert snap["chat"]["id"] == chat.pk and snap["chat"]["status"] == "active"
    assert [m["text"] for m in snap["messages"]][-1] == "Onko <b>ketään</b>?"
    accepted = await resident.event("chat.accepted")
    assert accepted["event"]["advisor_name"] == "Aino"

    # Messages both ways, each naming its chat on the desk.
    _, sent = await desk_socket.change(
        "message.send", "a2", chat=chat.pk, text="Hei! مرحبا"
    )
    assert sent["event"]["chat"] == chat.pk
    heard = await resident.event("message.sent")
    assert heard["event"]["message"] == sent["event"]["message"]
    assert heard["event"]["message"]["name"] == "Aino"
    await resident.send(type="message.send", op="r2", text="Kiitos")
    heard = await desk_socket.event("message.sent")
    assert heard["event"]["message"]["text"] == "Kiitos"

    # Typing is not numbered or stored, and reaches the other side.
    await resident.send(type="typing")
    typing = await desk_socket.next("event", skip=("queue",))
    assert typing == {
        "type": "event",
        "event": {"type": "typing", "author": "resident", "chat": chat.pk},
    }
    await desk_socket.send(type="typing", chat=chat.pk)
    while True:
        frame = await resident.next("event", "ack")
        if frame["type"] == "event" and frame["event"]["type"] == "typing":
            if frame["event"]["author"] == "advisor":
                break
    assert "seq" not in frame

    # A note reaches the desk only; the resident hears nothing of it.
    await desk_socket.send(type="note.add", op="n1", chat=chat.pk, text="Kela-asia")
    note = await desk_socket.next("note", skip=("ack", "queue", "event"))
    assert note["note"]["text"] == "Kela-asia" and note["chat"] == chat.pk
    assert await resident.quiet()

    # The advisor closes; the resident rates.
    _, closed = await desk_socket.change("chat.close", "c1", chat=chat.pk)
    assert closed["event"]["by"] == "advisor"
    await resident.event("chat.closed")
    ack, rated = await resident.change("rating.give", "g1", score=5, comment="Hyvä")
    assert rated["event"] == {"type": "chat.rated", "score": 5, "chat": chat.pk}
    assert await db(lambda: Chat.objects.get(pk=chat.pk).rating) == 5
    await resident.close()
    await desk_socket.close()


async def test_reconnecting_gets_exactly_the_missed_events(open_desk, aino):
    chat, cookie = await started(open_desk)
    resident = await open_chat(chat.pk, cookie)
    await resident.change("message.send", "m1", text="yksi")
    await resident.close()
    await db(lambda: chats.message_send(chat=chat, text="kaksi", op="m2"))
    await db(lambda: chats.message_send(chat=chat, text="kolme", op="m3"))
    again = await open_chat(chat.pk, cookie, hello=False)
    await again.send(type="hello", last_seq=2)
    frames = [await again.next("event", skip=("queue",)) for _ in range(2)]
    numbered = [f for f in frames if "seq" in f]
    while len(numbered) < 2:
        frame = await again.next("event")
        if "seq" in frame:
            numbered.append(frame)
    assert [f["seq"] for f in numbered] == [3, 4]
    assert [f["event"]["message"]["text"] for f in numbered] == ["kaksi", "kolme"]
    # A retried op after the reconnect is applied once.
    ack = None
    await again.send(type="message.send", op="m3", text="kolme")
    ack = await again.next("ack", skip=("event",))
    assert ack["seq"] == 4
    assert await db(lambda: ChatMessage.objects.filter(chat=chat).count()) == 4
    await again.close()


async def test_desk_hello_resyncs_each_held_chat(open_desk, aino):
    first, _ = await started(open_desk)
    second, _ = await started(open_desk)
    from advice.services import desk

    await db(lambda: desk.chat_accept(advisor=aino, chat_id=first.pk, op="a"))
    await db(lambda: desk.chat_accept(advisor=aino, chat_id=second.pk, op="b"))
    await db(lambda: chats.message_send(chat=first, text="uusi", op="m"))
    cookie = await db(user_cookie, aino.user)
    socket = await open_desk_socket(cookie, {str(first.pk): 2, "999999": 1})
    refused = await socket.next("error")
    assert refused["code"] == "not_found" and refused["chat"] == 999999
    missed = await socket.next("event")
    assert missed["seq"] == 3 and missed["event"]["chat"] == first.pk
    snap = await socket.next("snapshot")
    assert snap["chat"]["id"] == second.pk and snap["seq"] == 2
    await socket.close()


async def test_transfer_moves_the_chat_between_desks(open_desk, aino):
    bertta = await db(advisor, open_desk, ("fi",), name="Bertta")
    chat, cookie = await started(open_desk)
    resident = await open_chat(chat.pk, cookie)
    aino_desk = await open_desk_socket(await db(user_cookie, aino.user))
    bertta_desk = await open_desk_socket(await db(user_cookie, bertta.user))
    await aino_desk.accept(chat.pk, "a")
    await aino_desk.change(
        "chat.transfer", "t", chat=chat.pk, to=bertta.pk, note="Jatka tästä"
    )
    snap = await bertta_desk.next("snapshot", skip=("queue", "event"))
    assert snap["chat"]["id"] == chat.pk
    assert [n["text"] for n in snap["notes"]] == ["Jatka tästä"]
    moved = await resident.event("chat.accepted")
    moved = await resident.event("chat.transferred")
    assert moved["event"]["advisor_name"] == "Bertta"
    assert "Jatka" not in str(resident.frames)
    # Aino's desk no longer gets the chat's events; Bertta's does.
    await resident.send(type="message.send", op="r", text="Hei Bertta")
    heard = await bertta_desk.event("message.sent")
    assert heard["event"]["message"]["text"] == "Hei Bertta"
    assert await aino_desk.quiet()
    for socket in (resident, aino_desk, bertta_desk):
        await socket.close()


async def test_the_transferring_desk_gets_the_transfer_when_the_chat_lags(
    open_desk, aino, monkeypatch
):
    """Each group's broadcasts leave by their own queue, so a chat's event may
    reach the layer after the advisors' messages of the same change: the desk
    handing the chat on still gets the transfer (then nothing more of it)."""
    from channels.layers import get_channel_layer

    bertta = await db(advisor, open_desk, ("fi",), name="Bertta")
    chat, cookie = await started(open_desk)
    resident = await open_chat(chat.pk, cookie)
    aino_desk = await open_desk_socket(await db(user_cookie, aino.user))
    await aino_desk.accept(chat.pk, "a")
    layer = get_channel_layer()
    send = layer.group_send

    async def lagging(group, message):
        if group == CHATS.group(chat.pk):
            await asyncio.sleep(0.3)
        await send(group, message)

    monkeypatch.setattr(layer, "group_send", lagging)
    _, moved = await aino_desk.change("chat.transfer", "t", chat=chat.pk, to=bertta.pk)
    assert moved["event"]["type"] == "chat.transferred"
    await resident.send(type="message.send", op="r", text="Hei Bertta")
    await resident.next("ack", skip=("event",))
    assert await aino_desk.quiet(timeout=1)
    await resident.close()
    await aino_desk.close()


async def test_block_closes_the_residents_socket_and_refuses_more(open_desk, aino):
    chat, cookie = await started(open_desk)
    resident = await open_chat(chat.pk, cookie)
    desk_socket = await open_desk_socket(await db(user_cookie, aino.user))
    await desk_socket.accept(chat.pk, "a")
    await desk_socket.change("chat.block", "b", chat=chat.pk)
    blocked = await resident.event("chat.accepted")
    blocked = await resident.event("chat.closed")
    assert blocked["event"]["blocked"]
    closing = await resident.comm.receive_output(timeout=3)
    assert closing == {"type": "websocket.close", "code": 4403, "reason": "removed"}
    again = await open_chat(chat.pk, cookie)
    assert again.snapshot["chat"]["status"] == "closed"
    assert again.snapshot["chat"]["blocked"]
    refused = await again.error("message.send", "m", text="Avatkaa!")
    assert refused["code"] == "locked"
    assert await db(lambda: ChatEvent.objects.filter(chat=chat).count()) == 3
    await again.close()
    await desk_socket.close()


async def test_two_advisors_accepting_over_sockets_one_gets_it(open_desk, aino):
    bertta = await db(advisor, open_desk, ("fi",))
    chat, _ = await started(open_desk)
    one = await open_desk_socket(await db(user_cookie, aino.user))
    two = await open_desk_socket(await db(user_cookie, bertta.user))
    await one.send(type="chat.accept", op="x", chat=chat.pk)
    await two.send(type="chat.accept", op="y", chat=chat.pk)
    answers = [
        await one.next("ack", "error", skip=("queue", "snapshot", "event")),
        await two.next("ack", "error", skip=("queue", "snapshot", "event")),
    ]
    kinds = sorted(a["type"] for a in answers)
    assert kinds == ["ack", "error"]
    assert next(a for a in answers if a["type"] == "error")["code"] == "conflict"
    assert await db(lambda: Chat.objects.get(pk=chat.pk).status) == ChatStatus.ACTIVE
    await one.close()
    await two.close()


async def test_available_ends_with_the_advisors_last_desk_socket(open_desk, aino):
    """Closing one of two desk tabs keeps the advisor available; closing the last
    makes them away, so a closed browser takes no new chats."""
    from advice.models import AdvisorProfile, AdvisorStatus

    def status():
        return AdvisorProfile.objects.get(pk=aino.pk).status

    cookie = await db(user_cookie, aino.user)
    first = await open_desk_socket(cookie)
    second = await open_desk_socket(cookie)
    await first.send(type="status.set", op="s1", status="available")
    await first.next("ack", skip=("queue", "desk"))
    assert await db(status) == AdvisorStatus.AVAILABLE
    await first.comm.disconnect()
    assert await db(status) == AdvisorStatus.AVAILABLE
    await second.comm.disconnect()
    assert await db(status) == AdvisorStatus.AWAY
    # With nobody available a new question is an offline one.
    chat, _key = await db(start, open_desk, email="a@example.test")
    assert chat.status == ChatStatus.OFFLINE


async def test_a_dead_processes_desk_rows_run_out_and_the_advisor_is_away(
    open_desk, aino
):
    from datetime import timedelta

    from django.utils import timezone

    from advice.models import (
        PRESENCE_LEASE,
        AdvisorProfile,
        AdvisorStatus,
        ChatPresence,
    )
    from advice.services import presence

    def dead_desk():
        AdvisorProfile.objects.filter(pk=aino.pk).update(status=AdvisorStatus.AVAILABLE)
        ChatPresence.objects.create(channel_name="gone-process!x", advisor=aino)
        ChatPresence.objects.filter(advisor=aino).update(
            last_seen=timezone.now() - timedelta(seconds=PRESENCE_LEASE + 5)
        )
        presence.presence_prune()
        return AdvisorProfile.objects.get(pk=aino.pk).status

    assert await db(dead_desk) == AdvisorStatus.AWAY


async def test_a_sixth_tab_on_one_chat_is_told_why_and_closed(open_desk, aino):
    """A resident's chat holds at most five sockets: the sixth is answered
    `rate_limited` with the reason and closed (4429); the five keep working."""
    chat, key = await db(start, open_desk)
    cookie = await db(resident_cookie, chat, key)
    tabs = [await open_chat(chat.pk, cookie) for _ in range(5)]
    extra = communicator(f"/ws/advice/chats/{chat.pk}/", cookie)
    connected, _ = await extra.connect()
    assert connected
    refused = await extra.receive_json_from(timeout=3)
    assert refused["code"] == "rate_limited" and "5" in refused["message"]
    closed = await extra.receive_output(timeout=3)
    assert (closed["type"], closed["code"]) == ("websocket.close", 4429)
    await tabs[0].change("message.send", "still-1", text="Vielä täällä")
    for tab in tabs:
        await tab.close()
