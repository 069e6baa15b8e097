"""Where the streams' database work runs: a few threads on PostgreSQL, one on SQLite.

Channels' `database_sync_to_async` is thread-sensitive: every call of a process
(each socket's connect, `hello`, change, presence and heartbeat) queues for one
thread. With hundreds of sockets that thread is the bottleneck: each change makes
a few round trips to PostgreSQL and Redis, and while it waits on one the thread
can do nothing else, so a burst queues for seconds (issue #17's 1-daphne bench).

`db_call` runs the stream work on `REALTIME_DB_THREADS` threads instead
(`thread_sensitive=False` with this module's own bounded executor). Why that is
safe for this work:

- Each call is whole on its own: the services open and commit their own
  transactions, and `database_sync_to_async` closes the thread's connection
  before and after the call (CONN_MAX_AGE 0), handing it back to the process's
  psycopg pool; nothing is left open on a thread between calls. The executor is
  smaller than the pool (`config.settings` checks it), so requests and the
  thread-sensitive calls (sessions, authentication) still find a connection.
- Order is kept where it matters: one socket's frames are handled one after
  another (a consumer awaits each before reading the next), a stream's changes
  are serialised by the row lock `Stream.take_seq` holds until commit, and each
  process's hub hands a stream's events on in `seq` order whichever thread
  committed first (`hub.StreamHub`), as it does for two processes.
- Nothing the stream work touches is per-thread state: the model instances a
  consumer keeps are only used by its own calls, one at a time.

SQLite allows one writer at a time (and a test database in memory is shared by
all threads), so there the calls stay on Channels' one thread as before.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection, connections

_executor: ThreadPoolExecutor | None = None


def concurrent() -> bool:
    """Whether stream calls may run on several threads (PostgreSQL, threads > 1)."""
    return connection.vendor == "postgresql" and settings.REALTIME_DB_THREADS > 1


def executor() -> ThreadPoolExecutor:
    global _executor  # noqa: PLW0603 - one executor per process, made on first use
    if _executor is None:
        _executor = ThreadPoolExecutor(
            max_workers=settings.REALTIME_DB_THREADS, thread_name_prefix="realtime-db"
        )
    return _executor


def db_call(func: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """`database_sync_to_async(func)` on the stream threads (see the module)."""
    if concurrent():
        return database_sync_to_async(func, thread_sensitive=False, executor=executor())
    return database_sync_to_async(func)


def close_connections() -> None:
    """Hand each stream thread's connection back to the pool now.

    `database_sync_to_async` does it after every call; this is for a test's end,
    where a call still finishing when the test database was locked again could
    not (its closing check is refused) and would keep its connection.
    """
    if _executor is None:
        return
    workers = _executor._max_workers
    barrier = threading.Barrier(workers)  # one close on each thread

    def close() -> None:
        try:
            barrier.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass
        connections.close_all()

    for future in [_executor.submit(close) for _ in range(workers)]:
        future.result()
