"""Two daphne processes on PostgreSQL + Redis serve one board: every client, on
whichever process, sees the same events in the same gap-free order."""

import asyncio
import json
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests import live
from tests.scale.conftest import (
    DATABASE_URL,
    REDIS_URL,
    needs_postgres_and_redis,
)

pytestmark = [pytest.mark.scale, needs_postgres_and_redis]

CLIENTS_PER_PROCESS = 3
CHANGES_PER_CLIENT = 8


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    import psycopg

    database_url, redis_url = DATABASE_URL, REDIS_URL
    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_scale"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = live.server_env(urlunsplit(parts._replace(path=f"/{name}")), redis_url)
    live.migrate(env)
    seeded = live.seed(env, participants=2 * CLIENTS_PER_PROCESS)
    folder = tmp_path_factory.mktemp("scale")
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


async def _client(port, board, session, index, columns, total, barrier):
    from websockets.asyncio.client import connect

    headers = {"Origin": f"http://127.0.0.1:{port}", "Cookie": f"sessionid={session}"}
    async with connect(
        f"ws://127.0.0.1:{port}/ws/boards/{board}/", additional_headers=headers
    ) as ws:
        await ws.send(json.dumps({"type": "hello", "last_seq": 0}))
        while json.loads(await ws.recv())["type"] != "snapshot":
            pass
        await barrier.wait()  # everyone is connected before anyone writes
        for n in range(CHANGES_PER_CLIENT):
            await ws.send(
                json.dumps(
                    {
                        "type": "card.add",
                        "op": f"c{index}-{n}",
                        "column": columns[(index + n) % len(columns)],
                        "text": f"client {index} card {n}",
                    }
                )
            )
        events, acks = [], 0
        while len(events) < total or acks < CHANGES_PER_CLIENT:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
            if frame["type"] == "event":
                events.append((frame["seq"], frame["event"]["card"]["id"]))
            elif frame["type"] == "ack":
                acks += 1
            elif frame["type"] == "error":
                raise AssertionError(frame)
        return events


async def test_clients_on_two_processes_see_identical_sequences(two_servers):
    ports, seeded = two_servers
    people = seeded["participants"]
    barrier = asyncio.Barrier(len(people))
    total = len(people) * CHANGES_PER_CLIENT
    results = await asyncio.gather(
        *(
            _client(
                ports[i % 2],
                seeded["board"],
                person["session"],
                i,
                seeded["columns"],
                total,
                barrier,
            )
            for i, person in enumerate(people)
        )
    )
    first = results[0]
    assert [seq for seq, _ in first] == list(range(1, total + 1))
    assert len({card for _, card in first}) == total
    for other in results[1:]:
        assert other == first
