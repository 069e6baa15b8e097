"""Fixtures of the advice desk tests: a city whose desk is open all week, an
available advisor, and helpers to start chats."""

import pytest

from advice.services import chats
from tests.advice.factories import AdviceTopicFactory, advisor, open_all_week


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new layer per test: channels_redis binds its locks to one event loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def topic(db):
    return AdviceTopicFactory(slug="permits")


@pytest.fixture
def open_desk(city):
    open_all_week(city)
    return city


@pytest.fixture
def aino(open_desk):
    """An available advisor in Helsinki for Finnish, English and Russian."""
    return advisor(open_desk, ("fi", "en", "ru"), name="Aino")


def start(city, *, language="fi", text="Miten haen oleskelulupaa?", **kwargs):
    """A chat and its resident's key."""
    kwargs.setdefault("topic", None)
    return chats.chat_start(city=city, language=language, text=text, **kwargs)


# --- Sockets ------------------------------------------------------------------------

ORIGIN = "http://testserver"


def resident_cookie(chat, key) -> str:
    """A browser session that started `chat` (keeps its key)."""
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    chats.chat_remember(session, chat, key)
    session.save()
    return session.session_key


def user_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def communicator(path: str, cookie: str | None = None, origin: str = ORIGIN):
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


class Socket:
    """A connected chat or desk client that keeps every frame it receives."""

    def __init__(self, comm):
        self.comm = comm
        self.frames: list[dict] = []

    async def send(self, **message):
        await self.comm.send_json_to(message)

    async def next(self, *types: str, timeout: float = 3, skip: tuple = ()) -> dict:
        import json

        while True:
            frame = json.loads(await self.comm.receive_from(timeout=timeout))
            self.frames.append(frame)
            if frame["type"] in types:
                return frame
            if frame["type"] not in skip:
                raise AssertionError(f"expected {types}, got {frame}")

    async def event(self, kind: str, *, skip=("queue", "typing-skip")) -> dict:
        """The next numbered event of `kind`, passing over unnumbered signals."""
        while True:
            frame = await self.next("event", skip=skip)
            if "seq" not in frame:
                continue  # typing / queue.position
            assert frame["event"]["type"] == kind, frame
            return frame

    async def change(self, kind: str, op: str, **fields) -> tuple[dict, dict]:
        """Send a change; its (ack, event) in whichever order they came."""
        await self.send(type=kind, op=op, **fields)
        got: dict[str, dict] = {}
        while len(got) < 2:
            frame = await self.next("ack", "event", "error", skip=("queue", "snapshot"))
            if frame["type"] == "error":
                raise AssertionError(f"{kind} refused: {frame}")
            if frame.get("op") == op:
                got[frame["type"]] = frame
        assert got["ack"]["seq"] == got["event"]["seq"]
        return got["ack"], got["event"]

    async def accept(self, chat_id: int, op: str) -> dict:
        """Accept a chat from the desk: its ack, then its snapshot (the event went
        out before this desk joined the chat's stream); the snapshot."""
        await self.send(type="chat.accept", op=op, chat=chat_id)
        ack = await self.next("ack", skip=("queue",))
        assert ack["op"] == op and ack["chat"] == chat_id
        snapshot = await self.next("snapshot", skip=("queue", "event"))
        assert snapshot["chat"]["id"] == chat_id and snapshot["seq"] >= ack["seq"]
        return snapshot

    async def error(self, kind: str, op: str = "x", **fields) -> dict:
        await self.send(type=kind, op=op, **fields)
        return await self.next("error", skip=("queue", "event"))

    async def quiet(self, timeout: float = 0.3, skip: tuple = ("queue",)) -> bool:
        """True when nothing but `skip` frames arrives within `timeout`."""
        import json

        while not await self.comm.receive_nothing(timeout=timeout):
            frame = json.loads(await self.comm.receive_from())
            self.frames.append(frame)
            if frame["type"] not in skip and frame.get("event", {}).get("type") != (
                "queue.position"
            ):
                return False
        return True

    async def close(self):
        await self.comm.disconnect()


async def open_chat(chat_id: int, cookie: str | None, hello: bool = True) -> Socket:
    comm = communicator(f"/ws/advice/chats/{chat_id}/", cookie)
    connected, _ = await comm.connect()
    assert connected
    socket = Socket(comm)
    if hello:
        await socket.send(type="hello", last_seq=0)
        socket.snapshot = await socket.next("snapshot", skip=("event",))
    return socket


async def open_desk_socket(cookie: str, chats_seen: dict | None = None) -> Socket:
    comm = communicator("/ws/advice/desk/", cookie)
    connected, _ = await comm.connect()
    assert connected
    socket = Socket(comm)
    await socket.send(type="hello", chats=chats_seen or {})
    socket.desk = await socket.next("desk", skip=("queue",))
    socket.queue = await socket.next("queue")
    return socket
