"""Where a stream change spends its time: durations per stage, off by default.

With `REALTIME_STAGE_LOG=/path/file.jsonl` every process appends one JSON line per
change it applies (`"kind": "change"`) and one per event its hub fans out
(`"kind": "fanout"`); unset (the default) nothing is timed and each hook costs a
settings lookup. The benchmark (bench/board_fanout.py) switches it on for its
daphnes and joins the lines by `op`.

A change's stages, in milliseconds:

- `queue`: waiting for one of the process's stream threads
  (`dbcalls.db_call`: a few on PostgreSQL, one on SQLite);
- what the service marks with `lap` (for a board: `ratelimit`, `connect`,
  `lock`, `read`, `handler`, `append`, `commit`);
- `return`: from the service's end back to the event loop (includes handing the
  connection back to the pool);
- `ack`: sending the ack;
- `outbox`: the event waiting on this process's ordered outbox, `publish`: the
  channel-layer `group_send`.

A fan-out line has `transit` (from publishing to the receiving hub, wall clock,
so across processes) and `fanout` (handing the event to the process's sockets).

The timing of the change in progress travels in a context variable: asgiref
copies the context into the database thread, so the service's `lap` calls find
it without any argument being passed through.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings

_current: ContextVar[Timing | None] = ContextVar("realtime_stage", default=None)
_files: dict[str, int] = {}


def enabled() -> bool:
    return bool(getattr(settings, "REALTIME_STAGE_LOG", ""))


def write(record: dict[str, Any]) -> None:
    """Append one line; O_APPEND keeps lines from several processes whole."""
    path = getattr(settings, "REALTIME_STAGE_LOG", "")
    if not path:
        return
    fd = _files.get(path)
    if fd is None:
        fd = _files[path] = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.write(fd, (json.dumps(record) + "\n").encode())


class Timing:
    """The stages of one change; written once both its ack and its publish are done
    (whichever comes last: the publish runs on its own task)."""

    __slots__ = ("done", "last", "publishing", "record", "stages")

    def __init__(self, stream_id: int | None, op: str) -> None:
        self.last = time.perf_counter()
        self.stages: dict[str, float] = {}
        self.record: dict[str, Any] = {
            "kind": "change",
            "pid": os.getpid(),
            "stream": stream_id,
            "op": op,
        }
        self.publishing = False
        self.done = False

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = self.stages.get(name, 0.0) + (now - self.last) * 1000
        self.last = now

    def add(self, name: str, ms: float) -> None:
        self.stages[name] = self.stages.get(name, 0.0) + ms

    def finish(self, **fields: Any) -> None:
        """The ack is sent (or the change refused): write unless a publish is due."""
        self.record.update(fields)
        self.done = True
        if not self.publishing:
            self._write()

    def published(self) -> None:
        self.publishing = False
        if self.done:
            self._write()

    def _write(self) -> None:
        write({**self.record, "at": time.time(), "stages": self.stages})


def start(stream_id: int | None, op: str) -> Timing | None:
    """Begin timing a change in this task's context; None when switched off."""
    if not enabled():
        return None
    timing = Timing(stream_id, op)
    _current.set(timing)
    return timing


def stop() -> None:
    _current.set(None)


def current() -> Timing | None:
    return _current.get()


def lap(name: str) -> None:
    """Close stage `name` of the change in progress (a no-op when none is timed)."""
    timing = _current.get()
    if timing is not None:
        timing.lap(name)


def entered(func: Callable) -> Callable:
    """`func`, closing the `queue` stage when the database thread starts it."""

    def run(*args: Any, **kwargs: Any) -> Any:
        lap("queue")
        return func(*args, **kwargs)

    return run


def stamp(message: dict[str, Any], *, seq: int, op: str) -> None:
    """Mark a channel-layer event so the hubs that receive it time their fan-out."""
    if enabled():
        message["stages"] = {"seq": seq, "op": op}


def fanout(
    mark: dict[str, Any], stream_id: Any, sockets: int, received: float, started: float
) -> None:
    """Write a receiving hub's line for a stamped event: `received` wall clock
    (comparable with the publisher's), `started` perf_counter of the fan-out."""
    fanned = (time.perf_counter() - started) * 1000
    write(
        {
            "kind": "fanout",
            "pid": os.getpid(),
            "stream": stream_id,
            "seq": mark["seq"],
            "op": mark["op"],
            "sockets": sockets,
            "at": time.time(),
            "stages": {
                "transit": (received - mark.get("sent", received)) * 1000,
                "fanout": fanned,
            },
        }
    )
