"""Board fan-out benchmark: how fast a change reaches every participant of a board.

Starts daphne (the embedded default: SQLite file + in-memory layer, one process; or
with --pg: PostgreSQL + Redis and two daphne processes), seeds one board, connects
N participants with the `websockets` client, and while some of them add, move and
vote, measures the time from sending a change to its event reaching *every*
participant (p50, p99) and the changes per second the board sustains. In the same
run it measures a bare Channels broadcast consumer (bench/floor_asgi.py, no
database) as the floor and prints our/floor ratios.

    .venv/bin/python bench/board_fanout.py                  # 10, 50, 200
    .venv/bin/python bench/board_fanout.py --pg     # needs DATABASE_URL, REDIS_URL
    .venv/bin/python bench/board_fanout.py --connections 1000 --boards 20
"""

import argparse
import asyncio
import collections
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402

from bench._common import recreate_database, scratch_url  # noqa: E402
from bench._stages import stage_table  # noqa: E402
from tests import live  # noqa: E402

CHANGES = 150  # measured changes per size
RATE = 10.0  # changes a second while measuring latency (--rate)
SENDERS = 10  # participants that write (each stays under the 10/s limit)
THROUGHPUT_SECONDS = 5.0
LOG_DIR = Path(tempfile.mkdtemp(prefix="board-bench-logs-"))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Tracker:
    """For each op: when it was sent and when it reached each participant."""

    def __init__(self, participants: int):
        self.participants = participants
        self.sent: dict[str, float] = {}
        self.reached: dict[str, int] = {}
        self.done: dict[str, float] = {}
        self.answered: dict[str, asyncio.Event] = {}
        self.errors: collections.Counter[str] = collections.Counter()  # by code
        self.cards: dict[int, int] = {}  # card id -> version
        self.columns: list[int] = []

    def arrive(self, op: str, now: float) -> None:
        if op not in self.sent:
            return
        self.reached[op] = self.reached.get(op, 0) + 1
        if self.reached[op] == self.participants:
            self.done[op] = now - self.sent[op]
            if op in self.answered:  # the floor sends no acks
                self.answered[op].set()

    def answer(self, op: str, error: str | None) -> None:
        if error:
            self.errors[error] += 1
            self.sent.pop(op, None)  # refused (e.g. a move that lost a race)
        if op in self.answered:
            self.answered[op].set()


async def reader(ws, tracker: Tracker, first: bool) -> None:
    try:
        async for raw in ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            kind = frame.get("type")
            if (
                kind in ("event", "card.add", "card.move", "vote.cast")
                and "op" in frame
            ):
                tracker.arrive(frame["op"], now)
                event = frame.get("event") or {}
                if first and event.get("type") == "card.added":
                    tracker.cards[event["card"]["id"]] = 1
                elif first and event.get("type") == "card.moved":
                    tracker.cards[event["card"]] = event["version"]
            elif kind in ("ack", "error") and "op" in frame:
                tracker.answer(
                    frame["op"], frame.get("code", "?") if kind == "error" else None
                )
    except Exception:  # noqa: BLE001, S110 - socket closed at the end of a phase
        pass


def change_message(i: int, tracker: Tracker, op: str) -> dict:
    """A mix of adds (60 %), moves (20 %) and votes (20 %)."""
    roll = i % 5
    if tracker.cards and roll == 3:
        return {
            "type": "vote.cast",
            "op": op,
            "card": random.choice(list(tracker.cards)),
        }
    if tracker.cards and roll == 4:
        card, version = random.choice(list(tracker.cards.items()))
        return {
            "type": "card.move",
            "op": op,
            "card": card,
            "column": random.choice(tracker.columns),
            "position": 0,
            "version": version,
        }
    return {
        "type": "card.add",
        "op": op,
        "column": random.choice(tracker.columns),
        "text": f"bench card {i}",
    }


async def open_sockets(urls: list[str], headers: list[dict], hello: bool):
    sockets = []
    for url, header in zip(urls, headers, strict=True):
        ws = await connect(url, additional_headers=header, max_queue=None)
        if hello:
            await ws.send(json.dumps({"type": "hello", "last_seq": 0}))
            while json.loads(await ws.recv())["type"] != "snapshot":
                pass
        sockets.append(ws)
    return sockets


async def run_phase(urls, headers, columns, *, hello: bool, label: str) -> dict:
    n = len(urls)
    sockets = await open_sockets(urls, headers, hello)
    tracker = Tracker(n)
    tracker.columns = columns
    readers = [
        asyncio.create_task(reader(ws, tracker, i == 0)) for i, ws in enumerate(sockets)
    ]
    senders = sockets[: min(SENDERS, n)]
    await asyncio.sleep(0.5)

    # Latency: a steady RATE of changes, spread over the senders.
    for i in range(CHANGES):
        op = f"{label}-{i}-{random.random()}"
        ws = senders[i % len(senders)]
        tracker.sent[op] = time.perf_counter()
        await ws.send(json.dumps(change_message(i, tracker, op)))
        await asyncio.sleep(1 / RATE)
    deadline = time.perf_counter() + 20
    while len(tracker.done) < len(tracker.sent) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    latencies = [v * 1000 for v in tracker.done.values()]
    by_op = {op: v * 1000 for op, v in tracker.done.items()}
    measured = f"{len(latencies)}/{len(tracker.sent)}"

    # Throughput: every sender in a closed loop (next change once the last is
    # answered, at most 9 a second each); changes whose event reached everyone.
    before = len(tracker.done)
    started = time.perf_counter()
    counter = iter(range(CHANGES, 10**9))

    async def sender(ws):
        while time.perf_counter() - started < THROUGHPUT_SECONDS:
            i = next(counter)
            op = f"{label}-t{i}-{random.random()}"
            tracker.answered[op] = asyncio.Event()
            tracker.sent[op] = time.perf_counter()
            await ws.send(json.dumps(change_message(i, tracker, op)))
            await asyncio.gather(
                asyncio.wait_for(tracker.answered[op].wait(), 30),
                asyncio.sleep(1 / 9),
            )

    await asyncio.gather(*(sender(ws) for ws in senders))
    deadline = time.perf_counter() + 20
    while len(tracker.done) < len(tracker.sent) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    ends = [tracker.done[op] + tracker.sent[op] for op in tracker.done]
    throughput = (len(tracker.done) - before) / (max(ends) - started)
    for ws in sockets:
        await ws.close()
    for task in readers:
        task.cancel()
    return {
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": pct(latencies, 0.99) if latencies else float("nan"),
        "complete": measured,
        "throughput": throughput,
        # Refusals by code: `conflict` is a move that lost a race for the card's
        # version, `rate_limited` a sender over the participant's change limit
        # (60 in 10 s) in the closed-loop phase; both are the board working.
        "refused": ", ".join(f"{n} {code}" for code, n in tracker.errors.items())
        or "none",
        "by_op": by_op,  # the latency phase's end-to-end ms per op
    }


def start_servers(env: dict, processes: int, app: str = "config.asgi:application"):
    started = []
    for _ in range(processes):
        port = live.free_port()
        if app == "config.asgi:application":
            log = open(LOG_DIR / f"daphne-{port}.log", "wb")  # noqa: SIM115
            started.append((live.start_daphne(env, port, log=log), port))
        else:
            started.append((start_floor(env, port), port))
    return started


def start_floor(env: dict, port: int):
    import subprocess

    process = subprocess.Popen(  # noqa: S603 - our own server
        [
            live.DAPHNE,
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "bench.floor_asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Until it listens (a fixed pause was too short on a busy machine).
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the floor server on port {port} did not start")


def pg_env() -> dict:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        sys.exit("--pg needs DATABASE_URL=postgres://… and REDIS_URL=redis://…")
    name = f"{urlsplit(database_url).path.lstrip('/') or 'postgres'}_bench"
    url = scratch_url(database_url, name)
    recreate_database(url)
    return live.server_env(url, redis_url)


async def bench_size(env: dict, size: int, processes: int) -> None:
    # Votes are a fifth of the changes: voting opened as a facilitator would.
    seeded = live.seed(env, participants=size, votes=100, voting_open=True)
    stage_log = LOG_DIR / f"stages-{size}.jsonl"
    ours = start_servers({**env, "REALTIME_STAGE_LOG": str(stage_log)}, processes)
    floor = start_servers(env, processes, app="floor")
    try:
        ports = [port for _, port in ours]
        urls = [
            f"ws://127.0.0.1:{ports[i % processes]}/ws/boards/{seeded['board']}/"
            for i in range(size)
        ]
        headers = [
            {
                "Origin": f"http://127.0.0.1:{ports[i % processes]}",
                "Cookie": f"sessionid={p['session']}",
            }
            for i, p in enumerate(seeded["participants"])
        ]
        our = await run_phase(urls, headers, seeded["columns"], hello=True, label="our")
        fports = [port for _, port in floor]
        furls = [
            f"ws://127.0.0.1:{fports[i % processes]}/ws/floor/{seeded['board']}/"
            for i in range(size)
        ]
        fheaders = [{} for _ in range(size)]
        flo = await run_phase(
            furls, fheaders, seeded["columns"], hello=False, label="fl"
        )
    finally:
        for process, _ in ours + floor:
            live.stop(process)
    print(
        f"{size:>5} | ours p50 {our['p50']:7.1f} ms  p99 {our['p99']:7.1f} ms "
        f"{our['throughput']:6.1f} ch/s ({our['complete']}; refused: {our['refused']})"
        f" | floor p50 "
        f"{flo['p50']:6.1f} ms  p99 {flo['p99']:6.1f} ms {flo['throughput']:6.1f} ch/s"
        f" | ratio p50 {our['p50'] / flo['p50']:4.1f}x  p99 "
        f"{our['p99'] / flo['p99']:4.1f}x",
        flush=True,
    )
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"  end-to-end p99 {our['p99']:.1f} ms, floor p99 {flo['p99']:.1f} ms, "
        f"load average {load} (1/5/15 min)",
        flush=True,
    )
    print("\n".join(stage_table(stage_log, our["by_op"])), flush=True)


def raise_open_files() -> int:
    """Raise this process's (and its children's) open-file limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else 65536
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process in MB."""
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    status = dict(line.split(":", 1) for line in lines)
    return (
        int(status["VmRSS"].split()[0]) / 1024,
        int(status["VmHWM"].split()[0]) / 1024,
    )


async def bench_many(env: dict, total: int, boards: int, changes: int) -> None:
    """`total` sockets on one daphne process over `boards` boards, changes flowing.

    Connects every socket (at most 50 handshakes at a time) and asks each for a
    snapshot, then one writer per board adds cards, `RATE` changes a second in all,
    and the time from sending a change to its event reaching every socket of that
    board is measured. Reports connect successes, p50/p99 and daphne's memory.
    """
    limit = raise_open_files()
    seeded = live.seed(env, participants=total, boards=boards)
    [(process, port)] = start_servers(env, 1)
    rss_idle = rss_mb(process.pid)[0]
    gate = asyncio.Semaphore(50)
    board_of = [seeded["boards"][i % boards] for i in range(total)]

    async def open_one(i: int, person: dict):
        async with gate:
            try:
                ws = await connect(
                    f"ws://127.0.0.1:{port}/ws/boards/{board_of[i]}/",
                    additional_headers={
                        "Origin": f"http://127.0.0.1:{port}",
                        "Cookie": f"sessionid={person['session']}",
                    },
                    max_queue=None,
                    open_timeout=60,
                )
                await ws.send(json.dumps({"type": "hello", "last_seq": 0}))
                while json.loads(await ws.recv())["type"] != "snapshot":
                    pass
                return ws
            except Exception as error:  # noqa: BLE001 - counted as a failure
                return error

    try:
        started = time.perf_counter()
        opened = await asyncio.gather(
            *(open_one(i, p) for i, p in enumerate(seeded["participants"]))
        )
        connect_s = time.perf_counter() - started
        sockets = [
            (i, ws) for i, ws in enumerate(opened) if not isinstance(ws, Exception)
        ]
        failures = [ws for ws in opened if isinstance(ws, Exception)]
        rss_connected = rss_mb(process.pid)[0]
        trackers: dict[int, Tracker] = {}
        for board in seeded["boards"]:
            members = sum(1 for i, _ in sockets if board_of[i] == board)
            trackers[board] = Tracker(members)
            trackers[board].columns = seeded["board_columns"][str(board)]
        readers = [
            asyncio.create_task(reader(ws, trackers[board_of[i]], False))
            for i, ws in sockets
        ]
        writers = {}
        for i, ws in sockets:
            writers.setdefault(board_of[i], ws)
        await asyncio.sleep(1)
        boards_live = list(writers)
        for n in range(changes):
            board = boards_live[n % len(boards_live)]
            tracker = trackers[board]
            op = f"many-{n}-{random.random()}"
            tracker.sent[op] = time.perf_counter()
            await writers[board].send(
                json.dumps(
                    {
                        "type": "card.add",
                        "op": op,
                        "column": random.choice(tracker.columns),
                        "text": f"bench card {n}",
                    }
                )
            )
            await asyncio.sleep(1 / RATE)
        deadline = time.perf_counter() + 20
        while time.perf_counter() < deadline and any(
            len(t.done) < len(t.sent) for t in trackers.values()
        ):
            await asyncio.sleep(0.05)
        latencies = [v * 1000 for t in trackers.values() for v in t.done.values()]
        sent = sum(len(t.sent) for t in trackers.values())
        rss_now, rss_peak = rss_mb(process.pid)
        print(
            f"{total} sockets on {boards} boards, one daphne (open files {limit}): "
            f"{len(sockets)} connected + snapshot, {len(failures)} failed "
            f"({connect_s:.1f} s)",
            flush=True,
        )
        if failures:
            print(f"  first failure: {failures[0]!r}", flush=True)
        print(
            f"  {changes} card.add at {RATE:.0f}/s over the boards "
            f"(~{total // boards} sockets each): {len(latencies)}/{sent} reached "
            f"everyone; fan-out p50 {statistics.median(latencies):.1f} ms, "
            f"p99 {pct(latencies, 0.99):.1f} ms",
            flush=True,
        )
        print(
            f"  daphne RSS: {rss_idle:.0f} MB idle, {rss_connected:.0f} MB with "
            f"the sockets open, {rss_now:.0f} MB after the changes "
            f"(peak {rss_peak:.0f} MB)",
            flush=True,
        )
        for task in readers:
            task.cancel()
        for _, ws in sockets:
            await ws.close()
    finally:
        live.stop(process)


async def main() -> None:
    global RATE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,200")
    parser.add_argument(
        "--pg", action="store_true", help="PostgreSQL + Redis, 2 daphnes"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=0,
        help="open this many sockets on ONE daphne process over --boards boards",
    )
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument(
        "--changes", type=int, default=200, help="changes sent in --connections mode"
    )
    parser.add_argument("--rate", type=float, default=10.0, help="changes a second")
    args = parser.parse_args()
    RATE = args.rate
    folder = Path(tempfile.mkdtemp(prefix="board-bench-"))
    if args.pg:
        env, processes = pg_env(), 2
    else:
        env, processes = live.server_env(f"sqlite:///{folder / 'db.sqlite3'}"), 1
    print(f"migrating ({'PostgreSQL + Redis' if args.pg else 'SQLite + in-memory'})…")
    live.migrate(env)
    if args.connections:
        await bench_many(env, args.connections, args.boards, args.changes)
        return
    print(
        f"{CHANGES} changes (add/move/vote) at {RATE:.0f}/s from {SENDERS} writers, "
        f"then {THROUGHPUT_SECONDS:.0f} s closed-loop; {processes} daphne process(es); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        await bench_size(env, size, processes)


if __name__ == "__main__":
    asyncio.run(main())
