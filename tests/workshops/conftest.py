"""Fixtures for the workshops tests: a facilitator, a Service Jam, participants,
and helpers that open board sockets the way a browser does (Origin + session)."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import UserFactory
from workshops import services
from workshops.models import Method

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new layer per test: channels_redis binds its locks to one event loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def facilitator(city):
    user = UserFactory(display_name="Fasi <script>alert(1)</script>")
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    return user


@pytest.fixture
def workshop(facilitator, city):
    return services.workshop_create(
        user=facilitator,
        city=city,
        title="Kirjastojami <script>alert(1)</script>",
        starts_at=timezone.now(),
        method=Method.SERVICE_JAM,
    )


@pytest.fixture
def board(workshop):
    return workshop.boards.get()


@pytest.fixture
def columns(board):
    return list(board.columns.all())


@pytest.fixture
def alice(workshop):
    return services.participant_join(workshop=workshop, display_name="Alice")


@pytest.fixture
def bob(workshop):
    return services.participant_join(workshop=workshop, display_name="Bob")


def participant_cookie(participant) -> str:
    session = SessionStore()
    services.session_participant_remember(session, participant)
    session.save()
    return session.session_key


def user_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def alice_cookie(alice):
    return participant_cookie(alice)


@pytest.fixture
def bob_cookie(bob):
    return participant_cookie(bob)


@pytest.fixture
def facilitator_cookie(facilitator):
    return user_cookie(facilitator)


@database_sync_to_async
def db(fn, *args, **kwargs):
    """Call `fn` from an async test in a thread that may use the database."""
    return fn(*args, **kwargs)


def communicator(board_id: int, cookie: str | None = None, origin: str = ORIGIN):
    from config.asgi import application

    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(
        application, f"/ws/boards/{board_id}/", headers=headers
    )


class Socket:
    """A connected board client that keeps every frame it receives."""

    def __init__(self, comm):
        self.comm = comm
        self.frames: list[dict] = []
        self.raw: list[str] = []

    async def send(self, **message):
        await self.comm.send_json_to(message)

    async def next(
        self, *types: str, timeout: float = 3, skip: tuple = ("presence",)
    ) -> dict:
        """The next frame of one of `types`, passing over frames of `skip` types."""
        while True:
            raw = await self.comm.receive_from(timeout=timeout)
            self.raw.append(raw)
            frame = json.loads(raw)
            self.frames.append(frame)
            if frame["type"] in types:
                return frame
            if frame["type"] not in skip:
                raise AssertionError(f"expected {types}, got {frame}")

    async def event(self, kind: str | None = None) -> dict:
        frame = await self.next("event")
        if kind is not None:
            assert frame["event"]["type"] == kind, frame
        return frame

    async def change(self, kind: str, op: str, **fields) -> tuple[dict, dict]:
        """Send a change; return its (ack, event) in whichever order they came."""
        await self.send(type=kind, op=op, **fields)
        got: dict[str, dict] = {}
        while len(got) < 2:
            frame = await self.next("ack", "event", "error")
            if frame["type"] == "error":
                raise AssertionError(f"{kind} refused: {frame}")
            if frame.get("op") == op:  # others' events may come in between
                got[frame["type"]] = frame
        assert got["ack"]["seq"] == got["event"]["seq"]
        return got["ack"], got["event"]

    async def error(self, kind: str, op: str = "x", **fields) -> dict:
        await self.send(type=kind, op=op, **fields)
        return await self.next("error", skip=("presence", "event"))

    async def quiet(self, timeout: float = 0.2) -> bool:
        """True when nothing but presence arrives within `timeout`."""
        while True:
            if await self.comm.receive_nothing(timeout=timeout):
                return True
            raw = await self.comm.receive_from()
            self.raw.append(raw)
            frame = json.loads(raw)
            if frame["type"] != "presence":
                self.frames.append(frame)
                return False

    async def close(self):
        await self.comm.disconnect()


async def open_socket(board_id: int, cookie: str | None, hello: bool = True):
    comm = communicator(board_id, cookie)
    connected, _ = await comm.connect()
    assert connected
    socket = Socket(comm)
    if hello:
        await socket.send(type="hello", last_seq=0)
        socket.snapshot = await socket.next("snapshot")
    return socket
