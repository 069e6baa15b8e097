"""Where the streams' work runs: database calls side by side on PostgreSQL (each
handing its connection back), and each group's broadcasts in order without
waiting for other groups'."""

import asyncio
import threading

import pytest
from django.db import connection, connections

from core.realtime import broadcast, dbcalls


@pytest.mark.django_db(transaction=True)
async def test_stream_calls_run_side_by_side_on_postgresql_only():
    if connection.vendor != "postgresql":
        assert not dbcalls.concurrent()  # SQLite: one writer, one thread
        return
    assert dbcalls.concurrent()
    both = threading.Barrier(2, timeout=5)

    def call() -> str:
        both.wait()  # returns only while the other call runs too
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return threading.current_thread().name

    names = await asyncio.gather(dbcalls.db_call(call)(), dbcalls.db_call(call)())
    assert len(set(names)) == 2

    def holds_a_connection() -> bool:
        return connections["default"].connection is not None

    pool = dbcalls.executor()
    held = [pool.submit(holds_a_connection) for _ in range(pool._max_workers)]
    assert not any(future.result() for future in held)  # all back in the pool


async def test_each_groups_broadcasts_leave_in_order_beside_the_others(monkeypatch):
    sent: list[tuple[str, int]] = []

    class Layer:
        async def group_send(self, group: str, message: dict) -> None:
            await asyncio.sleep(0.05 if group == "slow" else 0)
            sent.append((group, message["n"]))

    monkeypatch.setattr(broadcast, "get_channel_layer", Layer)
    for n in range(3):
        broadcast._outbox_post(([("slow", {"n": n})], None))
        broadcast._outbox_post(([("fast", {"n": n})], None))
    await asyncio.sleep(0.4)
    assert [n for group, n in sent if group == "slow"] == [0, 1, 2]
    assert [n for group, n in sent if group == "fast"] == [0, 1, 2]
    assert sent.index(("fast", 2)) < sent.index(("slow", 0))  # not held behind
    loop = asyncio.get_running_loop()
    assert not [key for key in broadcast._outboxes if key[0] is loop]  # all drained
