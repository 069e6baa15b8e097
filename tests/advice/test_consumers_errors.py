"""Bad input on the chat protocol: each answered with its error code, the
connection kept where it can be, nothing half-written, other chats unaffected."""

import pytest
from channels.db import database_sync_to_async

from accounts.models import Role
from accounts.services import role_grant
from advice.models import Chat, ChatEvent, ChatMessage, ChatStatus
from advice.services import desk
from tests.advice.conftest import (
    communicator,
    open_chat,
    open_desk_socket,
    resident_cookie,
    start,
    user_cookie,
)
from tests.advice.factories import advisor, open_all_week
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


async def started(city, **kwargs):
    chat, key = await db(start, city, **kwargs)
    return chat, await db(resident_cookie, chat, key)


async def test_resident_bad_frames(open_desk, aino):
    chat, cookie = await started(open_desk)
    other, other_cookie = await started(open_desk)
    socket = await open_chat(chat.pk, cookie)
    bystander = await open_chat(other.pk, other_cookie)
    too_long = await socket.error("message.send", "m1", text="x" * 4000)
    assert too_long["code"] == "too_large" and too_long["op"] == "m1"
    assert (await socket.error("message.send", "m2", text="   "))["code"] == "invalid"
    assert (await socket.error("message.send", "m3", text=5))["code"] == "invalid"
    assert (await socket.error("nonsense", "m4"))["code"] == "invalid"
    assert (await socket.error("message.send", "bad op!", text="x"))[
        "code"
    ] == "invalid"
    # A resident cannot send the desk's messages.
    assert (await socket.error("chat.accept", "m5", chat=chat.pk))["code"] == "invalid"
    await socket.comm.send_to(text_data="{not json")
    assert (await socket.next("error"))["code"] == "invalid"
    await socket.comm.send_to(text_data="y" * 20000)
    assert (await socket.next("error"))["code"] == "too_large"
    # Rating before the end, or out of range.
    assert (await socket.error("rating.give", "g1", score=5))["code"] == "invalid"
    assert (await socket.error("rating.give", "g2", score=9))["code"] == "invalid"
    # Nothing was written, the socket still works, the other chat saw nothing.
    assert await db(lambda: ChatMessage.objects.filter(chat=chat).count()) == 1
    await socket.change("message.send", "ok", text="Toimiiko?")
    assert await bystander.quiet()
    await socket.close()
    await bystander.close()


async def test_a_flood_is_refused_then_closed(open_desk, aino):
    chat, cookie = await started(open_desk)
    socket = await open_chat(chat.pk, cookie)
    codes = []
    for n in range(60):
        await socket.send(type="message.send", op=f"f{n}", text="spam")
    closed = None
    while closed is None:
        output = await socket.comm.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            closed = output
        elif '"error"' in output.get("text", ""):
            codes.append("error")
    assert "error" in codes
    assert closed["code"] == 4029  # as the board: refused, then closed
    messages = await db(lambda: ChatMessage.objects.filter(chat=chat).count())
    assert messages <= 1 + 10 + 5  # the burst and what refilled meanwhile


async def test_the_desk_refuses_people_without_the_role(open_desk, aino):
    for user in (await db(UserFactory), None):
        cookie = await db(user_cookie, user) if user else None
        comm = communicator("/ws/advice/desk/", cookie)
        connected, _ = await comm.connect()
        assert not connected
    comm = communicator(
        "/ws/advice/desk/", await db(user_cookie, aino.user), origin="http://evil.test"
    )
    connected, _ = await comm.connect()
    assert not connected


async def test_desk_refusals(open_desk, other_city, aino):
    bertta = await db(advisor, open_desk, ("fi",))
    mine, _ = await started(open_desk)
    theirs, _ = await started(open_desk)
    swedish, _ = await started(open_desk, language="sv", email="s@example.org")
    await db(lambda: desk.chat_accept(advisor=bertta, chat_id=theirs.pk, op="b"))
    socket = await open_desk_socket(await db(user_cookie, aino.user))
    await socket.accept(mine.pk, "a")
    unknown = await socket.error("chat.accept", "x1", chat=10**9)
    assert unknown["code"] == "not_found"
    taken = await socket.error("chat.accept", "x2", chat=theirs.pk)
    assert taken["code"] == "conflict"
    language = await socket.error("chat.accept", "x3", chat=swedish.pk)
    assert language["code"] == "forbidden"
    not_held = await socket.error("message.send", "x4", chat=theirs.pk, text="hei")
    assert not_held["code"] == "forbidden"
    assert (await socket.error("typing", "", chat=theirs.pk))["code"] == "forbidden"
    note = await socket.error("note.add", "x5", chat=theirs.pk, text="urkin")
    assert note["code"] == "forbidden"
    assert (await socket.error("status.set", "x6", status="asleep"))[
        "code"
    ] == "invalid"
    long = await socket.error("message.send", "x7", chat=mine.pk, text="y" * 4000)
    assert long["code"] == "too_large"
    bad_to = await socket.error("chat.transfer", "x8", chat=mine.pk, to="nobody")
    assert bad_to["code"] == "invalid"
    # The other advisor's chat is untouched; Aino's still works.
    theirs_now = await db(lambda: Chat.objects.get(pk=theirs.pk))
    assert theirs_now.advisor_id == bertta.pk and theirs_now.seq == 2
    await socket.change("message.send", "ok", chat=mine.pk, text="Hei")
    await socket.send(type="status.set", op="s1", status="away")
    ack = await socket.next("ack", skip=("queue",))
    assert ack == {"type": "ack", "op": "s1", "seq": None}
    await socket.close()


async def test_a_supervisor_sees_every_queue_of_their_cities_read_only(
    open_desk, other_city, aino
):
    await db(open_all_week, other_city)
    await db(advisor, other_city, ("sv",))
    boss = await db(UserFactory)
    await db(role_grant, user=boss, city=open_desk, role=Role.ADVICE_SUPERVISOR)
    helsinki_ru, _ = await started(open_desk, language="ru")
    await started(other_city, language="sv")
    socket = await open_desk_socket(await db(user_cookie, boss))
    assert socket.desk["you"]["read_only"]
    assert [row["id"] for row in socket.queue["chats"]] == [helsinki_ru.pk]
    refused = await socket.error("chat.accept", "a", chat=helsinki_ru.pk)
    assert refused["code"] == "forbidden"
    # Live: a new chat in the city's queue reaches the supervisor.
    fresh, _ = await started(open_desk)
    queue = await socket.next("queue")
    while fresh.pk not in [row["id"] for row in queue["chats"]]:
        queue = await socket.next("queue")  # a broadcast from before it, coalesced
    assert [row["id"] for row in queue["chats"]] == [helsinki_ru.pk, fresh.pk]
    assert await db(lambda: Chat.objects.get(pk=helsinki_ru.pk).status) == (
        ChatStatus.QUEUED
    )
    await socket.close()


async def test_queue_positions_reach_waiting_residents(open_desk, aino):
    first, _ = await started(open_desk)
    second, cookie = await started(open_desk)
    resident = await open_chat(second.pk, cookie)
    assert resident.snapshot["chat"]["queue_position"] == 2
    await db(lambda: desk.chat_accept(advisor=aino, chat_id=first.pk, op="a"))
    while True:
        frame = await resident.next("event")
        if (
            frame["event"]["type"] == "queue.position"
            and frame["event"]["position"] == 1
        ):
            break
    assert "seq" not in frame and frame["event"]["estimated_wait_s"] > 0
    assert (
        await db(lambda: ChatEvent.objects.filter(type="queue.position").count()) == 0
    )
    await resident.close()


async def test_redis_failing_under_the_rate_limit_closes_to_try_again(
    open_desk, aino, monkeypatch
):
    """Redis (the cache behind the per-address limit) unreachable: the socket
    closes with 1013 "try again later", as a busy database does, and the message
    is not half-written; the client reconnects and re-sends its op."""
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import ConnectionError as RedisConnectionError

    import advice.consumers

    chat, cookie = await started(open_desk)
    socket = await open_chat(chat.pk, cookie)

    def unreachable(*args, **kwargs):
        raise ConnectionInterrupted(connection=None) from RedisConnectionError()

    monkeypatch.setattr(advice.consumers, "limit_exceeded", unreachable)
    await socket.send(type="message.send", op="r1", text="Onko ketään?")
    closed = await socket.comm.receive_output(timeout=3)
    while closed["type"] != "websocket.close":  # a queue position sent before it
        assert '"ack"' not in closed.get("text", ""), closed
        closed = await socket.comm.receive_output(timeout=3)
    assert closed["code"] == 1013
    await socket.comm.disconnect()
    assert await db(lambda: ChatMessage.objects.filter(chat=chat).count()) == 1
