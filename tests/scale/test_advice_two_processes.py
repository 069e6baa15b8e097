"""Two daphne processes on PostgreSQL + Redis serve the advice desk: a resident on
one process and the advisor on the other see the same messages in the same
gap-free order."""

import asyncio
import json
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.advice import seed
from tests import live
from tests.scale.conftest import DATABASE_URL, REDIS_URL, needs_postgres_and_redis

pytestmark = [pytest.mark.scale, needs_postgres_and_redis]

CHATS = 4
ADVISORS = 2
MESSAGES_PER_SIDE = 6
PACE = 0.5


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = f"{parts.path.lstrip('/') or 'postgres'}_advice_scale"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = live.server_env(urlunsplit(parts._replace(path=f"/{name}")), REDIS_URL)
    live.migrate(env)
    seeded = seed(env, CHATS, ADVISORS)
    folder = tmp_path_factory.mktemp("advice-scale")
    processes, ports = [], []
    try:
        for i in range(2):
            port = live.free_port()
            with open(folder / f"daphne{i}.log", "wb") as log:
                processes.append(live.start_daphne(env, port, log=log))
            ports.append(port)
        yield ports, seeded
    finally:
        for process in processes:
            live.stop(process)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _open(port: int, path: str, session: str):
    from websockets.asyncio.client import connect

    headers = {"Origin": f"http://127.0.0.1:{port}", "Cookie": f"sessionid={session}"}
    return await connect(f"ws://127.0.0.1:{port}{path}", additional_headers=headers)


async def _collect(ws, chat_ids: set[int], wanted: int, seen: dict) -> None:
    """Numbered message events per chat until `wanted` new messages per chat."""
    while any(len(seen[c]) < wanted for c in chat_ids):
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
        if frame["type"] == "error":
            raise AssertionError(frame)
        if frame["type"] != "event" or "seq" not in frame:
            continue
        event = frame["event"]
        if event["type"] == "message.sent" and event["chat"] in chat_ids:
            seen[event["chat"]].append((frame["seq"], event["message"]["text"]))


async def test_resident_and_advisor_on_two_processes_see_one_order(two_servers):
    ports, seeded = two_servers
    desks, residents = [], []
    for index, session in enumerate(seeded["advisors"]):
        ws = await _open(ports[1], "/ws/advice/desk/", session)
        await ws.send(json.dumps({"type": "hello", "chats": {}}))
        held = {c["chat"] for c in seeded["chats"] if c["advisor"] == index}
        desks.append((ws, held))
    for chat in seeded["chats"]:
        ws = await _open(ports[0], f"/ws/advice/chats/{chat['chat']}/", chat["session"])
        await ws.send(json.dumps({"type": "hello", "last_seq": 0}))
        residents.append((ws, chat["chat"]))
    await asyncio.sleep(1)  # every socket is in its groups before anyone writes

    # Paced as people type (0.5 s a round), inside the sockets' rate limits
    # (typing: 5 at once, then 1 a second; changes: 10 at once, then 2 a second).
    async def talk_resident(ws, chat_id):
        for n in range(MESSAGES_PER_SIDE):
            await asyncio.sleep(PACE)
            await ws.send(json.dumps({"type": "typing"}))
            await ws.send(
                json.dumps({"type": "message.send", "op": f"r{n}", "text": f"r{n}"})
            )

    async def talk_advisor(ws, held):
        for n in range(MESSAGES_PER_SIDE):
            await asyncio.sleep(PACE)
            for chat_id in sorted(held):
                await ws.send(
                    json.dumps(
                        {
                            "type": "message.send",
                            "op": f"a{chat_id}-{n}",
                            "chat": chat_id,
                            "text": f"a{n}",
                        }
                    )
                )

    wanted = 2 * MESSAGES_PER_SIDE
    resident_seen = {chat: [] for _ws, chat in residents}
    desk_seen = {chat: [] for _ws, chat in residents}
    await asyncio.gather(
        *(talk_resident(ws, chat) for ws, chat in residents),
        *(talk_advisor(ws, held) for ws, held in desks),
        *(_collect(ws, {chat}, wanted, resident_seen) for ws, chat in residents),
        *(_collect(ws, held, wanted, desk_seen) for ws, held in desks),
    )
    for chat, seen in resident_seen.items():
        seqs = [seq for seq, _text in seen]
        assert seqs == list(range(seqs[0], seqs[0] + wanted)), seen  # gap-free
        assert seen == desk_seen[chat]  # the same messages in the same order
        assert sorted(text for _seq, text in seen) == sorted(
            [f"r{n}" for n in range(MESSAGES_PER_SIDE)]
            + [f"a{n}" for n in range(MESSAGES_PER_SIDE)]
        )
    for ws, _ in desks + residents:
        await ws.close()
