"""Channel-layer sends made on commit, handed to the event loop.

Services run on the threads `dbcalls.db_call` runs them on. Their `on_commit`
sends are handed to the event loop that called in and return at once: the
database thread goes on to the next change instead of waiting for the loop, which
is busy delivering the previous event to every socket. One drain task per loop
and group sends the group's messages one after another in the order they were
committed (two threads committing one stream's events at once may hand them over
the other way round; each hub puts a stream's events back in `seq` order);
different groups' messages are sent side by side. Without a calling loop
(management commands, the test client) the sends are made synchronously.

The channel layer is a best-effort bus: a failed send is logged, never raised
into a commit; clients catch up by `seq` and resync.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Hashable
from contextvars import Context

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

from core.realtime import stages
from core.realtime.dbcalls import db_call

logger = logging.getLogger(__name__)

Batch = list[tuple[str, dict]]


def group_send(messages: Batch) -> None:
    """Send `(group, message)` pairs, in order; call it from `on_commit`."""
    layer = get_channel_layer()
    if layer is None:
        return
    loop = calling_event_loop()
    if loop is not None:
        timing = stages.current()
        if timing is not None:
            timing.publishing = True
            timing = (timing, time.perf_counter())
        # A fresh context: the callback must not inherit this thread's asgiref
        # state (it would think it runs inside the database thread).
        loop.call_soon_threadsafe(_outbox_post, (messages, timing), context=Context())
        return

    async def send_all() -> None:
        for group, message in messages:
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:  # noqa: BLE001 - clients resync by seq; never fail a commit
        logger.exception("realtime broadcast failed")


def calling_event_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop whose `sync_to_async` call this thread serves."""
    # asgiref records it for AsyncToSync; read it the same way asgiref does.
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    return loop if loop.is_running() and not loop.is_closed() else None


# Per event loop and group: messages waiting to be sent, in commit order. Each
# group has its own queue, drained by its own task: one chat's events keep their
# order while another chat's are sent alongside (one queue for the whole process
# made every send wait for all before it, and under load the events waited there
# for seconds).
_outboxes: dict[tuple[asyncio.AbstractEventLoop, str], deque] = {}
# Strong references to running tasks (the loop keeps only weak ones).
_tasks: set[asyncio.Task] = set()
# Sends in flight at once per loop: each holds one of the channel layer's Redis
# connections, and a pool run dry fails every socket's sends (unbounded, 300
# chats' outboxes did).
OUTBOX_SENDS = 8
_in_flight: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def _keep(task: asyncio.Task) -> None:
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def _outbox_post(item: tuple[Batch, tuple | None]) -> None:
    # `item`: the batch, and the timing of its change with when it was posted
    # (kept with the batch's last message, so it is written once).
    messages, timing = item
    loop = asyncio.get_running_loop()
    for index, (group, message) in enumerate(messages):
        entry = (message, timing if index == len(messages) - 1 else None)
        pending = _outboxes.get((loop, group))
        if pending is not None:
            pending.append(entry)
            continue
        _outboxes[(loop, group)] = deque([entry])
        _keep(loop.create_task(_outbox_drain(loop, group)))


async def _outbox_drain(loop: asyncio.AbstractEventLoop, group: str) -> None:
    pending = _outboxes[(loop, group)]
    try:
        while pending:
            message, timing = pending.popleft()
            if timing is not None:
                timing, posted = timing
                taken = time.perf_counter()
                timing.add("outbox", (taken - posted) * 1000)
            try:
                if "stages" in message:
                    message["stages"]["sent"] = time.time()
                async with _in_flight.setdefault(loop, asyncio.Semaphore(OUTBOX_SENDS)):
                    await get_channel_layer().group_send(group, message)
            except Exception:  # noqa: BLE001 - clients resync by seq
                logger.exception("realtime broadcast failed")
            if timing is not None:
                timing.add("publish", (time.perf_counter() - taken) * 1000)
                timing.published()
    finally:
        # Nothing awaits between the empty check and here, so no message is lost.
        del _outboxes[(loop, group)]


# --- Coalesced sends (presence) ------------------------------------------------------

_due: dict[asyncio.AbstractEventLoop, set[Hashable]] = {}


def coalesced(key: Hashable, send: Callable[[], None], *, delay: float) -> None:
    """On commit: run the sync `send` once `delay` after the first of a burst.

    Calls with the same `key` within `delay` on one process become one `send`,
    which reads the state then (so it is current). Without a calling loop it runs
    at once.
    """
    loop = calling_event_loop()
    if loop is None:
        send()
    else:
        loop.call_soon_threadsafe(_schedule, key, send, delay, context=Context())


def _schedule(key: Hashable, send: Callable[[], None], delay: float) -> None:
    loop = asyncio.get_running_loop()
    due = _due.setdefault(loop, set())
    if key in due:
        return  # a send is coming and will read the state then
    due.add(key)
    loop.call_later(delay, _fire, loop, key, send)


def _fire(loop: asyncio.AbstractEventLoop, key: Hashable, send) -> None:
    due = _due.get(loop, set())
    due.discard(key)
    if not due:
        _due.pop(loop, None)
    _keep(loop.create_task(_run(send), context=Context()))


async def _run(send: Callable[[], None]) -> None:
    try:
        await db_call(send)()
    except Exception:  # noqa: BLE001 - advisory; the next one corrects it
        logger.exception("coalesced realtime send failed")
