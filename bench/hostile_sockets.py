"""Hostile sockets benchmark: what hello-flooding and non-reading sockets cost a
well-behaved participant and the daphne process.

Starts one daphne (embedded default: SQLite file + in-memory layer), seeds a board
with cards (so a snapshot weighs something), then measures a well-behaved
participant's `card.add` ack latency (p50, p99) alone (the same-run baseline) and
again while `--flooders` sockets send `hello` as fast as they can (reading what
they get) and `--nonreaders` sockets send `hello` and never read. Prints daphne's
RSS before, at its peak and after, the load average, and how the server closed
the hostile sockets (4008: over the byte budget).

    .venv/bin/python bench/hostile_sockets.py
    .venv/bin/python bench/hostile_sockets.py --flooders 25 --nonreaders 25
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from bench._common import PeakRss, pct, rss_bytes  # noqa: E402
from tests import live  # noqa: E402

SEED_CARDS = """
from workshops.models import Board, Card
board = Board.objects.get(pk={board})
column = board.columns.first()
Card.objects.bulk_create(
    Card(board=board, column=column, text="x" * 300, position=i) for i in range({n})
)
"""


async def good_participant(url, headers, column, seconds, rate, latencies, before=None):
    """Adds a card every 1/rate s and records each ack's latency (ms).

    Connected first; `before()` (the attack starting) runs once it is on the board.
    """
    async with connect(url, additional_headers=headers, max_size=None) as ws:
        await ws.send(json.dumps({"type": "hello", "last_seq": 0}))
        if before is not None:
            await before()
        sent: dict[str, float] = {}

        async def read():
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") in ("ack", "error") and frame.get("op") in sent:
                    latencies.append((time.perf_counter() - sent[frame["op"]]) * 1000)

        reader = asyncio.create_task(read())
        start = time.monotonic()
        n = 0
        while time.monotonic() - start < seconds:
            op = f"good-{time.monotonic_ns()}"
            sent[op] = time.perf_counter()
            text = f"card {n}"
            await ws.send(
                json.dumps(
                    {"type": "card.add", "op": op, "column": column, "text": text}
                )
            )
            n += 1
            await asyncio.sleep(1 / rate)
        await asyncio.sleep(1)
        reader.cancel()


FLOOD_INTERVAL = 0.005  # 200 hellos a second per socket (the limit is 0.5)


async def hostile(url, headers, read: bool, stop: float, closes: list):
    """Floods `hello` until the monotonic time `stop`; never reads unless `read`."""
    try:
        async with connect(
            url, additional_headers=headers, max_size=None, max_queue=4
        ) as ws:
            hello = json.dumps({"type": "hello", "last_seq": 0})
            if read:
                drain = asyncio.create_task(_drain(ws))
            while time.monotonic() < stop:
                await ws.send(hello)
                await asyncio.sleep(FLOOD_INTERVAL)
            if read:
                drain.cancel()
            closes.append("open")
    except ConnectionClosed as closed:
        closes.append(closed.rcvd.code if closed.rcvd else 1006)
    except Exception as error:  # noqa: BLE001 - counted, not raised
        closes.append(type(error).__name__)


async def _drain(ws):
    async for _ in ws:
        pass


async def _hostile_all(url, people, flooders, seconds, port) -> list:
    stop = time.monotonic() + seconds
    closes: list = []
    tasks = []
    for i, person in enumerate(people):
        headers = {
            "Origin": f"http://127.0.0.1:{port}",
            "Cookie": f"sessionid={person['session']}",
        }
        tasks.append(
            asyncio.create_task(hostile(url, headers, i < flooders, stop, closes))
        )
        await asyncio.sleep(0.02)  # connect them over a second, not all at once
    await asyncio.gather(*tasks)
    return closes


def _hostile_process(url, people, flooders, seconds, port, queue) -> None:
    """The hostile sockets in a process of their own, so their client work does
    not slow the well-behaved participant's measurements."""
    queue.put(asyncio.run(_hostile_all(url, people, flooders, seconds, port)))


async def run(args) -> None:
    folder = Path(tempfile.mkdtemp(prefix="hostile-bench-"))
    env = live.server_env(f"sqlite:///{folder / 'db.sqlite3'}")
    live.migrate(env)
    hostile_count = args.flooders + args.nonreaders
    seeded = live.seed(env, participants=hostile_count + 1)
    subprocess.run(  # noqa: S603 - our own manage.py
        [
            live.PYTHON,
            "manage.py",
            "shell",
            "-c",
            SEED_CARDS.format(board=seeded["board"], n=args.cards),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = live.free_port()
    log = open(folder / "daphne.log", "w")  # noqa: SIM115 - closed with daphne
    daphne = live.start_daphne(env, port, log=log)
    url = f"ws://127.0.0.1:{port}/ws/boards/{seeded['board']}/"

    def headers(person):
        return {
            "Origin": f"http://127.0.0.1:{port}",
            "Cookie": f"sessionid={person['session']}",
        }

    good, *others = seeded["participants"]
    column = seeded["columns"][0]
    try:
        before = rss_bytes(daphne.pid)
        baseline: list[float] = []
        await good_participant(
            url, headers(good), column, args.seconds, args.rate, baseline
        )
        under_load: list[float] = []
        load_before = os.getloadavg()[0]
        queue = multiprocessing.Queue()
        attackers = multiprocessing.Process(
            target=_hostile_process,
            args=(url, others, args.flooders, args.seconds + 3, port, queue),
        )

        async def attack():
            attackers.start()
            await asyncio.sleep(2)  # let them connect and start flooding

        with PeakRss(daphne.pid, interval=0.05) as rss:
            await good_participant(
                url,
                headers(good),
                column,
                args.seconds,
                args.rate,
                under_load,
                before=attack,
            )
            load_during = os.getloadavg()[0]
            closes = await asyncio.to_thread(queue.get, timeout=60)
            attackers.join(timeout=10)
        await asyncio.sleep(3)
        after = rss_bytes(daphne.pid)
    finally:
        live.stop(daphne)
        log.close()
    mb = 1024 * 1024
    print(f"daphne's log: {folder / 'daphne.log'}")  # noqa: T201
    print(  # noqa: T201
        f"hostile sockets: {args.flooders} flooding (reading) + {args.nonreaders} "
        f"flooding (never reading); board of {args.cards} cards"
    )
    for label, values in (("alone", baseline), ("under load", under_load)):
        if not values:
            print(f"  good participant {label:>10}: no acks")  # noqa: T201
            continue
        print(  # noqa: T201
            f"  good participant {label:>10}: ack p50 {pct(values, 50):7.1f} ms  "
            f"p99 {pct(values, 99):7.1f} ms  ({len(values)} acks)"
        )
    codes = {str(code): closes.count(code) for code in set(closes)}
    print(  # noqa: T201
        f"  daphne RSS: before {before / mb:.1f} MB, peak {rss.peak / mb:.1f} MB, "
        f"after {after / mb:.1f} MB (growth {rss.growth / mb:+.1f} MB)\n"
        f"  load average (1 min): {load_before:.2f} before, {load_during:.2f} during\n"
        f"  how the {len(others)} hostile sockets ended (close code or still "
        f"open): {codes}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--flooders", type=int, default=25)
    parser.add_argument("--nonreaders", type=int, default=25)
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rate", type=float, default=3)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
