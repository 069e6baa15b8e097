"""The advice desk under load: concurrent chats, each side one message every
`--every` seconds with a typing indicator first, on one daphne and on two over
PostgreSQL + Redis; send → delivery p50/p99 against the bare-Channels floor
(`bench/floor_asgi.py`: each chat a group of its two sockets) in the same run.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python -m bench.advice \\
        [--chats 300] [--advisors 30] [--every 10] [--seconds 60] [--reuse]

Residents connect to process `i % n`, their advisor's desk to the other one, so
with two processes every message crosses Redis. Checked on the way: every
message arrives once, and each chat's numbered events arrive gap-free and in
order on both sides. `python -m bench.advice seed CHATS ADVISORS` (run with
DATABASE_URL) seeds the database and prints the sessions as JSON (the scale
test uses it too).

The daphnes run as in production (DEBUG off, a real key), each change's stages
are logged (`core/realtime/stages.py`) and the slowest messages' stages printed.
Seeding takes minutes: `--reuse` keeps the seeded database and its sessions
(var/bench/) for the next run; every run sends its own ops.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

from bench._common import ROOT, database_exists, pct
from bench._stages import stage_table

MESSAGE_PREFIX = "bench"
LOG_DIR = ROOT / "var" / "bench"
# The bench's daphnes and its seeding share these keys (sessions are signed with
# SECRET_KEY); a kept database's sessions stay valid with them. Loopback only.
BENCH_KEYS = {
    "SECRET_KEY": "bench-advice-secret-key-for-the-loopback-only-" + "k" * 24,
    "PSEUDONYM_KEY": "bench-advice-pseudonym-key-for-the-loopback-only-" + "p" * 24,
}


# --- Seeding (in a subprocess with the server's environment) -------------------------


def _seed_main(chats: int, advisors: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import datetime

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import Role
    from accounts.services import role_grant
    from advice.models import AdvisorLanguage, AdvisorProfile, OpeningHours
    from advice.services import chats as chat_services
    from advice.services import desk
    from core.models import City
    from tests.factories import UserFactory

    city, _ = City.objects.get_or_create(
        slug="bench-city", defaults={"name_fi": "Penkki", "name_en": "Bench"}
    )
    for weekday in range(7):
        OpeningHours.objects.get_or_create(
            city=city,
            language="",
            weekday=weekday,
            opens=datetime.time(0),
            closes=datetime.time(23, 59, 59, 999999),
        )
    per_advisor = -(-chats // advisors)
    profiles = []
    for n in range(advisors):
        user = UserFactory(email=f"bench-advisor-{n}@example.org")
        role_grant(user=user, city=city, role=Role.ADVISOR)
        profile = AdvisorProfile.objects.create(
            user=user,
            display_name=f"Advisor {n}",
            status="available",
            max_chats=min(10, per_advisor),
        )
        AdvisorLanguage.objects.create(advisor=profile, language="fi")
        profiles.append(profile)

    def session(user=None, chat=None, key=None) -> str:
        store = SessionStore()
        if user is not None:
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if chat is not None:
            chat_services.chat_remember(store, chat, key)
        store.save()
        return store.session_key

    seeded_chats = []
    for n in range(chats):
        chat, key = chat_services.chat_start(
            city=city, language="fi", topic=None, text=f"Question {n}"
        )
        profile = profiles[n % advisors]
        desk.chat_accept(advisor=profile, chat_id=chat.pk, op=f"seed-{chat.pk}")
        seeded_chats.append(
            {
                "chat": chat.pk,
                "advisor": n % advisors,
                "session": session(chat=chat, key=key),
            }
        )
    print(
        json.dumps(
            {
                "chats": seeded_chats,
                "advisors": [session(user=p.user) for p in profiles],
            }
        )
    )


def seed(env: dict, chats: int, advisors: int) -> dict:
    import subprocess

    from tests import live

    out = subprocess.run(  # noqa: S603 - our own module
        [live.PYTHON, "-m", "bench.advice", "seed", str(chats), str(advisors)],
        cwd=live.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- The load ----------------------------------------------------------------------


class Tracker:
    """Send times by message text; latencies; per chat and side, the seqs seen."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.ops: dict[str, str] = {}  # text -> op, to join the stage log
        self.by_op: dict[str, float] = {}
        self.latencies: list[float] = []
        self.received: dict[str, int] = {}
        self.out_of_order = 0

    def delivered(self, text: str, side: str) -> None:
        """`text` reached the other side (a socket's own echo does not count)."""
        sent = self.sent.get(text)
        if sent is not None and text.split()[1] != side:
            self.received[text] = self.received.get(text, 0) + 1
            if self.received[text] == 1:
                latency = (time.perf_counter() - sent) * 1000
                self.latencies.append(latency)
                self.by_op[self.ops[text]] = latency


def _text(side: str, chat: int, n: str) -> str:
    return f"{MESSAGE_PREFIX} {side} {chat} {n}"


async def _reader(ws, tracker: Tracker, last: dict, stop: asyncio.Event, side: str):
    while not stop.is_set():
        try:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=1))
        except TimeoutError:
            continue
        if frame.get("type") != "event" or "seq" not in frame:
            continue
        event = frame["event"]
        chat = event.get("chat")
        if chat in last:
            if last[chat] and frame["seq"] != last[chat] + 1:
                tracker.out_of_order += 1
            last[chat] = frame["seq"]
        if event["type"] == "message.sent":
            tracker.delivered(event["message"]["text"], side)


async def _connect(url: str, headers: dict):
    from websockets.asyncio.client import connect

    return await connect(url, additional_headers=headers, max_size=2**22)


async def run_ours(
    ports, seeded, *, every: float, seconds: float, run: str = ""
) -> dict:
    """`run` makes this run's ops and texts its own (a reused database has seen
    the ops of earlier runs, and an op is applied once)."""
    tracker, stop = Tracker(), asyncio.Event()
    processes = len(ports)
    sockets, tasks = [], []
    desks = []
    for index, session in enumerate(seeded["advisors"]):
        port = ports[(index + 1) % processes]
        ws = await _connect(
            f"ws://127.0.0.1:{port}/ws/advice/desk/",
            {"Origin": f"http://127.0.0.1:{port}", "Cookie": f"sessionid={session}"},
        )
        held = [c for c in seeded["chats"] if c["advisor"] == index]
        last = {c["chat"]: 0 for c in held}
        await ws.send(json.dumps({"type": "hello", "chats": {}}))
        desks.append((ws, held, last))
    residents = []
    for index, chat in enumerate(seeded["chats"]):
        port = ports[index % processes]
        ws = await _connect(
            f"ws://127.0.0.1:{port}/ws/advice/chats/{chat['chat']}/",
            {
                "Origin": f"http://127.0.0.1:{port}",
                "Cookie": f"sessionid={chat['session']}",
            },
        )
        await ws.send(json.dumps({"type": "hello", "last_seq": 0}))
        residents.append((ws, chat, {chat["chat"]: 0}))
    await asyncio.sleep(2)  # snapshots in; the seqs start from the next event
    for ws, _held, last in desks:
        tasks.append(asyncio.create_task(_reader(ws, tracker, last, stop, "a")))
        sockets.append(ws)
    for ws, _chat, last in residents:
        tasks.append(asyncio.create_task(_reader(ws, tracker, last, stop, "r")))
        sockets.append(ws)

    async def resident_side(ws, chat, offset):
        await asyncio.sleep(offset)
        for n in range(int(seconds // every)):
            await ws.send(json.dumps({"type": "typing"}))
            text = _text("r", chat["chat"], f"{run}{n}")
            op = f"r{chat['chat']}-{run}{n}"
            tracker.sent[text], tracker.ops[text] = time.perf_counter(), op
            await ws.send(json.dumps({"type": "message.send", "op": op, "text": text}))
            await asyncio.sleep(every)

    async def advisor_side(ws, chat, offset):
        await asyncio.sleep(offset)
        for n in range(int(seconds // every)):
            await ws.send(json.dumps({"type": "typing", "chat": chat["chat"]}))
            text = _text("a", chat["chat"], f"{run}{n}")
            op = f"a{chat['chat']}-{run}{n}"
            tracker.sent[text], tracker.ops[text] = time.perf_counter(), op
            message = {"type": "message.send", "op": op, "chat": chat["chat"]}
            await ws.send(json.dumps({**message, "text": text}))
            await asyncio.sleep(every)

    total = len(seeded["chats"])
    senders = []
    for index, (ws, chat, _last) in enumerate(residents):
        senders.append(resident_side(ws, chat, every * index / total))
    for ws, held, _last in desks:
        for chat in held:
            offset = every * (seeded["chats"].index(chat) + 0.5) / total
            senders.append(advisor_side(ws, chat, offset))
    await asyncio.gather(*senders)
    await asyncio.sleep(3)
    stop.set()
    await asyncio.gather(*tasks)
    for ws in sockets:
        await ws.close()
    expected = len(tracker.sent)
    lost = sum(1 for text in tracker.sent if tracker.received.get(text, 0) == 0)
    doubled = sum(1 for count in tracker.received.values() if count > 1)
    return {
        "p50": pct(tracker.latencies, 50),
        "p99": pct(tracker.latencies, 99),
        "messages": expected,
        "lost": lost,
        "doubled": doubled,
        "reordered": tracker.out_of_order,
        "by_op": tracker.by_op,
    }


async def run_floor(ports, chats: int, *, every: float, seconds: float) -> dict:
    """The same pairs and cadence on the bare Channels floor (no database)."""
    latencies: list[float] = []
    sent: dict[str, float] = {}
    stop = asyncio.Event()
    pairs = []
    for index in range(chats):
        a = await _connect(
            f"ws://127.0.0.1:{ports[index % len(ports)]}/ws/floor/{index}/", {}
        )
        b = await _connect(
            f"ws://127.0.0.1:{ports[(index + 1) % len(ports)]}/ws/floor/{index}/", {}
        )
        pairs.append((a, b))

    async def read(ws, me: str):
        while not stop.is_set():
            try:
                text = await asyncio.wait_for(ws.recv(), timeout=1)
            except TimeoutError:
                continue
            if not text.startswith(me) and text in sent:
                latencies.append((time.perf_counter() - sent[text]) * 1000)

    async def talk(ws, tag: str, offset: float):
        await asyncio.sleep(offset)
        for n in range(int(seconds // every)):
            await ws.send(f"{tag}typing")
            text = f"{tag}{n}"
            sent[text] = time.perf_counter()
            await ws.send(text)
            await asyncio.sleep(every)

    readers = []
    for index, (a, b) in enumerate(pairs):
        readers.append(asyncio.create_task(read(a, f"r{index}-")))
        readers.append(asyncio.create_task(read(b, f"a{index}-")))
    await asyncio.gather(
        *(talk(a, f"r{i}-", every * i / chats) for i, (a, _b) in enumerate(pairs)),
        *(
            talk(b, f"a{i}-", every * (i + 0.5) / chats)
            for i, (_a, b) in enumerate(pairs)
        ),
    )
    await asyncio.sleep(2)
    stop.set()
    await asyncio.gather(*readers)
    for a, b in pairs:
        await a.close()
        await b.close()
    return {"p50": pct(latencies, 50), "p99": pct(latencies, 99)}


def prepare(args) -> tuple[dict, dict]:
    """The servers' environment and the seeded sessions: a fresh database, or
    with `--reuse` the one a run with the same sizes kept."""
    from bench._common import recreate_database, scratch_url
    from tests import live

    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        sys.exit(
            "bench/advice.py needs DATABASE_URL=postgres://… and REDIS_URL=redis://…"
        )
    url = scratch_url(database_url, "pp_advice_bench")
    # As in production, but on plain http on the loopback.
    production = {"DEBUG": "false", "SECURE_SSL_REDIRECT": "false", **BENCH_KEYS}
    env = {**live.server_env(url, redis_url), **production}
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    kept = LOG_DIR / f"advice-seed-{args.chats}-{args.advisors}.json"
    if args.reuse and kept.exists() and database_exists(url):
        return env, json.loads(kept.read_text())
    kept.unlink(missing_ok=True)
    recreate_database(url)
    live.migrate(env)
    seeded = seed(env, args.chats, args.advisors)
    kept.write_text(json.dumps(seeded))
    return env, seeded


async def bench(processes: int, env: dict, seeded: dict, args) -> None:
    from bench.board_fanout import start_floor
    from tests import live

    run = f"{time.time_ns() // 1_000_000 % 10**8:x}-"
    stage_log = LOG_DIR / f"advice-stages-{processes}.jsonl"
    stage_log.unlink(missing_ok=True)
    load_before = os.getloadavg()[0]
    ours = []
    try:
        for _ in range(processes):
            port = live.free_port()
            log = open(args.server_log, "a") if args.server_log else None  # noqa: SIM115
            server_env = {**env, "REALTIME_STAGE_LOG": str(stage_log)}
            ours.append((live.start_daphne(server_env, port, log=log), port))
        result = await run_ours(
            [p for _, p in ours],
            seeded,
            every=args.every,
            seconds=args.seconds,
            run=run,
        )
    finally:
        for process, _ in ours:
            live.stop(process)
    floors = []
    try:
        for _ in range(processes):
            port = live.free_port()
            floors.append((start_floor(env, port), port))
        floor = await run_floor(
            [p for _, p in floors], args.chats, every=args.every, seconds=args.seconds
        )
    finally:
        for process, _ in floors:
            live.stop(process)
    print(
        f"{processes} daphne, {args.chats} chats / {args.advisors} advisors: "
        f"ours p50 {result['p50']:.1f} ms p99 {result['p99']:.1f} ms "
        f"({result['messages']} messages, {result['lost']} lost, "
        f"{result['doubled']} doubled, {result['reordered']} out of order) | "
        f"floor p50 {floor['p50']:.1f} ms p99 {floor['p99']:.1f} ms | "
        f"p50 {result['p50'] / max(floor['p50'], 0.001):.1f}x the floor | "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
        flush=True,
    )
    print("\n".join(stage_table(stage_log, result["by_op"])), flush=True)


def main() -> None:
    if sys.argv[1:2] == ["seed"]:
        _seed_main(int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--advisors", type=int, default=30)
    parser.add_argument("--every", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 2])
    parser.add_argument(
        "--server-log", default="", help="append the servers' output to this file"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the seeded database for next time"
    )
    args = parser.parse_args()
    env, seeded = prepare(args)
    for processes in args.processes:
        asyncio.run(bench(processes, env, seeded, args))


if __name__ == "__main__":
    main()
