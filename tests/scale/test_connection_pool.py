"""One daphne on PostgreSQL under repeated bursts of concurrent requests keeps its
database connections within the pool's bound, and every request succeeds.

Before the pool (CONN_MAX_AGE = 60) every request thread kept a connection of its
own: bursts of 15 took one process from 8 to 51 connections, until PostgreSQL
refused new clients and requests answered 500.
"""

import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests import live
from tests.scale.conftest import (
    DATABASE_URL,
    REDIS_URL,
    needs_postgres_and_redis,
)

pytestmark = [pytest.mark.scale, needs_postgres_and_redis]

POOL_MAX_SIZE = 5
BURSTS = 10
CONCURRENCY = 50
PATH = "/en/dreams/?q=kirjasto"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import subprocess

    import psycopg

    database_url, redis_url = DATABASE_URL, REDIS_URL
    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_pool_scale"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = live.server_env(url, redis_url)
    env.update(DATABASE_POOL_MAX_SIZE=str(POOL_MAX_SIZE), DATABASE_POOL_TIMEOUT="10")
    live.migrate(env)
    subprocess.run(  # noqa: S603 - our own manage.py
        [live.PYTHON, "manage.py", "load_demo", "--if-empty"],
        cwd=live.ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = live.free_port()
    folder = tmp_path_factory.mktemp("pool")
    with open(folder / "daphne.log", "wb") as log:
        process = live.start_daphne(env, port, log=log)
    try:
        yield f"http://127.0.0.1:{port}", url
    finally:
        live.stop(process)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_bursts_stay_within_the_pool_and_all_succeed(server):
    base, database_url = server
    # One request first, so that the bursts measure the pool, not the process's
    # first-request costs (templates, translations, URL resolvers) taken while
    # 50 requests hold the 5 connections (the first burst timed out on a busy box).
    with urllib.request.urlopen(base + PATH, timeout=60) as response:  # noqa: S310
        assert response.status == 200
    results = live.connection_bursts(
        base + PATH, database_url, bursts=BURSTS, concurrency=CONCURRENCY
    )
    for n, burst in enumerate(results, 1):
        statuses = burst["statuses"]
        assert statuses == [200] * CONCURRENCY, (n, sorted(set(statuses)))
        assert burst["peak"] <= POOL_MAX_SIZE, (n, burst)
        assert burst["after"] <= POOL_MAX_SIZE, (n, burst)
    # Connections are reused, not piled up: the last burst holds no more than
    # the first.
    assert results[-1]["after"] <= max(results[0]["after"], POOL_MAX_SIZE)
