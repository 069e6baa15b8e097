"""Database connections held by one daphne under repeated bursts of concurrent GETs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_conns \\
        REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/db_connections.py \\
        [--bursts 10] [--concurrency 50] [--path "/en/dreams/?q=kirjasto"]

Drops and re-creates the database named in DATABASE_URL, migrates it, loads the
demo content, serves it with one daphne process, sends the bursts and prints, for
each, the status codes, the peak number of connections PostgreSQL held to the
database while it ran (sampled every 20 ms) and the number still held half a
second after it. The server's own settings decide (e.g. DATABASE_POOL_MAX_SIZE).

A server that keeps a connection per request thread can take every connection
PostgreSQL has, from everyone using it: `--connection-limit N` caps the scratch
database at N connections (PostgreSQL applies it to roles that are not superusers,
so connect as one, e.g. `CREATE ROLE pp_bench LOGIN CREATEDB`).
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import drop_database, recreate_database  # noqa: E402
from tests import live  # noqa: E402


def _limit_connections(database_url: str, limit: int) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" CONNECTION LIMIT {int(limit)}')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--path", default="/en/dreams/?q=kirjasto")
    parser.add_argument("--connection-limit", type=int, default=None)
    args = parser.parse_args()
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_conns"
    )
    redis_url = os.environ.get("REDIS_URL", "")
    recreate_database(database_url)
    if args.connection_limit is not None:
        _limit_connections(database_url, args.connection_limit)
    env = live.server_env(database_url, redis_url)
    live.migrate(env)
    subprocess.run(  # noqa: S603 - our own manage.py
        [live.PYTHON, "manage.py", "load_demo", "--if-empty"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = live.free_port()
    with tempfile.TemporaryFile() as log:
        process = live.start_daphne(env, port, log=log)
        try:
            idle = live.database_connections(database_url)
            started = time.monotonic()
            results = live.connection_bursts(
                f"http://127.0.0.1:{port}{args.path}",
                database_url,
                bursts=args.bursts,
                concurrency=args.concurrency,
            )
            elapsed = time.monotonic() - started
        finally:
            live.stop(process)
            drop_database(database_url)
    print(f"{args.bursts} bursts of {args.concurrency} GET {args.path}")
    if args.connection_limit is not None:
        print(f"database connection limit: {args.connection_limit}")
    print(f"connections before the first burst: {idle}")
    for n, burst in enumerate(results, 1):
        codes = collections.Counter(burst["statuses"])
        summary = ", ".join(f"{code}×{count}" for code, count in sorted(codes.items()))
        print(
            f"burst {n:2}: peak {burst['peak']:3}, held after {burst['after']:3}  "
            f"({summary})"
        )
    failed = sum(1 for b in results for s in b["statuses"] if s != 200)
    print(f"failed requests: {failed} of {args.bursts * args.concurrency}")
    print(f"wall time of the bursts: {elapsed:.1f} s")


if __name__ == "__main__":
    main()
