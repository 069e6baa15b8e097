"""Insight at scale: the city dashboard's figures over 1,000,000 comments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench REDIS_URL=redis://… \
        .venv/bin/python bench/insights.py [--comments 1000000] [--quick] [--keep]

Makes a scratch database `<name of DATABASE_URL>_insights` (refusing `postgres`),
loads what `bench/opendata.py` loads (planned services, 5,000 users, `--comments`
comments by INSERT … SELECT generate_series), tops the dreams up to 100,000 with
three supports each (from the anonymous commenters) and adds 50,000 workshop
cards by 1,000 workshop names (INSERT … SELECT), then:

- times `refresh_insights --full` (the rollups from nothing, with the people
  counted per week, month, quarter, year and lifetime) and then one incremental
  `refresh_insights` (the job every five minutes: the current month, the
  quarter and year holding it, the lifetime);
- measures, in this process, the city dashboard — `participation_over_time`
  (months), `participation_by` district, topic, planned service and channel,
  `responsiveness` and the four `segments` for the city's whole lifetime —
  cold (the cache cleared before each round: every figure from the rollups) and
  cached (`insights.cache.cached`), p50 over the rounds;
- the baseline: `GET /api/v1/` (the API root) through Django's test client in
  the same process and the same rounds.

Targets (issue 19): dashboard ≤ 300 ms cold, ≤ 50 ms cached. `--quick` is a
smoke run (50,000 comments, 10,000 dreams, 5,000 cards, fewer rounds).
"""

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    database_exists,
    drop_database,
    pct,
    recreate_database,
    scratch_url,
)
from bench.opendata import load, setup_django  # noqa: E402

TARGET_COLD_MS = 300.0
TARGET_CACHED_MS = 50.0

DREAMS_SQL = """
INSERT INTO ideas_dream (
    created_at, updated_at, title, description, target_group, what_would_change,
    city_id, district_id, language, author_id, nickname, anonymous_key, status,
    support_count, trend, merged_into_id, source, search_terms
)
SELECT now() - g * interval '3 minutes', now() - g * interval '3 minutes',
       'Unelma ' || g, 'Iltakirjasto nuorille.', 'everyone', '',
       (%(cities)s::bigint[])[1 + g %% 2], NULL, 'fi',
       (%(users)s::bigint[])[1 + (g * 7919) %% %(n_users)s], '', NULL, 'new',
       3, 0, NULL, 'web', ''
FROM generate_series(1, %(n)s) AS g
"""

SUPPORTS_SQL = """
INSERT INTO ideas_dreamsupport (
    created_at, updated_at, dream_id, user_id, anonymous_key
)
SELECT d.created_at + k * interval '1 hour', d.created_at + k * interval '1 hour',
       -- supporters from the same 20,000 anonymous people who comment
       d.id, NULL, md5('anon' || ((d.id * 3 + k) % 20000))::uuid
FROM ideas_dream d, generate_series(1, 3) AS k
"""

CARDS_SQL = """
INSERT INTO workshops_card (
    created_at, updated_at, board_id, column_id, author_id, text, language, color,
    position, "group", version, hidden, from_dream_id, became_dream_id, channel,
    meeting, meeting_on
)
SELECT now() - g * interval '5 minutes', now() - g * interval '5 minutes',
       %(board)s, %(column)s, (%(authors)s::bigint[])[1 + g %% %(n_authors)s],
       'Kortti ' || g, 'fi', 'yellow', g, '', 1, false, NULL, NULL, 'online', '', NULL
FROM generate_series(1, %(n)s) AS g
"""


def top_up(dreams: int, cards: int) -> None:
    """Dreams up to `dreams` with three supports each, and `cards` cards."""
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from core.models import City
    from ideas.models import Dream
    from workshops.models import Board, Participant, Workshop

    started = time.perf_counter()
    users = list(User.objects.values_list("pk", flat=True))
    cities = list(City.objects.order_by("pk").values_list("pk", flat=True))
    missing = max(0, dreams - Dream.objects.count())
    workshop = Workshop.objects.create(
        city_id=cities[0], title="Pajat", starts_at=timezone.now()
    )
    board = Board.objects.create(workshop=workshop, title="Taulu")
    column = board.columns.create(title="Ideat")
    authors = [
        p.pk
        for p in Participant.objects.bulk_create(
            Participant(workshop=workshop, display_name=f"Osallistuja {n}")
            for n in range(1000)
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            DREAMS_SQL,
            {"cities": cities, "users": users, "n_users": len(users), "n": missing},
        )
        cursor.execute("DELETE FROM ideas_dreamsupport")
        cursor.execute(SUPPORTS_SQL)
        cursor.execute(
            CARDS_SQL,
            {
                "board": board.pk,
                "column": column.pk,
                "authors": authors,
                "n_authors": len(authors),
                "n": cards,
            },
        )
        cursor.execute("VACUUM ANALYZE")
    print(f"dreams, supports and cards added in {time.perf_counter() - started:.0f} s")


def dashboard_calls() -> list:
    from insights.metrics import (
        participation_by,
        participation_over_time,
        responsiveness,
        segments,
    )

    calls = [(participation_over_time, ()), (responsiveness, ())]
    calls += [(participation_by, (d,)) for d in ("district", "topic", "service")]
    calls += [(participation_by, ("channel",))]
    fields = ("age_band", "gender", "home_district", "first_language")
    calls += [(segments, (field,)) for field in fields]
    return calls


def dashboard(scope) -> list:
    from insights.cache import cached_many

    return cached_many(scope, dashboard_calls())


def ms(seconds: float) -> float:
    return seconds * 1000


def run(runs: int) -> None:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from core.models import City
    from discussions.models import Comment
    from ideas.models import Dream, DreamSupport
    from insights.metrics import Scope
    from insights.models import DailyCount, PeriodCount, PeriodParticipant, PeriodUser
    from workshops.models import Card

    print(
        f"comments {Comment.objects.count():,}, dreams {Dream.objects.count():,}, "
        f"dream supports {DreamSupport.objects.count():,}, cards "
        f"{Card.objects.count():,}"
    )
    started = time.perf_counter()
    call_command("refresh_insights", "--full", verbosity=0)
    refreshed = time.perf_counter() - started
    with connection.cursor() as cursor:
        # What autovacuum does on a live database after the job's bulk writes
        # (index-only scans need the visibility map).
        cursor.execute("VACUUM ANALYZE insights_dailycount")
        cursor.execute("VACUUM ANALYZE insights_periodparticipant")
        cursor.execute("VACUUM ANALYZE insights_periodcount")
        cursor.execute("VACUUM ANALYZE insights_perioduser")
    print(
        f"refresh_insights --full: {refreshed:.0f} s; "
        f"{DailyCount.objects.count():,} daily counts, "
        f"{PeriodParticipant.objects.count():,} participant rows, "
        f"{PeriodCount.objects.count():,} people counts, "
        f"{PeriodUser.objects.count():,} period users "
        f"(load average {os.getloadavg()[0]:.2f})"
    )
    started = time.perf_counter()
    call_command("refresh_insights", verbosity=0)
    print(
        f"refresh_insights (incremental): {time.perf_counter() - started:.1f} s "
        f"(load average {os.getloadavg()[0]:.2f})"
    )
    city = (
        City.objects.annotate(n=Count("discussions__comments")).order_by("-n").first()
    )
    scope = Scope(city)
    client = Client()
    client.get("/api/v1/")
    cold, warm, base = [], [], []
    for _ in range(runs):
        cache.clear()
        t = time.perf_counter()
        dashboard(scope)
        cold.append(time.perf_counter() - t)
        t = time.perf_counter()
        dashboard(scope)
        warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        assert client.get("/api/v1/").status_code == 200  # noqa: S101
        base.append(time.perf_counter() - t)
    cold_ms, warm_ms = ms(pct(cold, 50)), ms(pct(warm, 50))
    tables = sum(len(t) if isinstance(t, list) else 1 for t in dashboard(scope))
    print(f"city dashboard ({tables} tables, {city.slug}, lifetime):")
    print(f"  cold   p50 {cold_ms:7.1f} ms  p95 {ms(pct(cold, 95)):7.1f} ms")
    print(f"  cached p50 {warm_ms:7.1f} ms  p95 {ms(pct(warm, 95)):7.1f} ms")
    print(f"  baseline GET /api/v1/ p50 {ms(pct(base, 50)):.1f} ms (same rounds)")
    calls = dashboard_calls()
    print("  cold, per table (one round):")
    cache.clear()
    for metric, args in calls:
        t = time.perf_counter()
        metric(scope, *args)
        print(f"    {metric.__name__}{args}: {ms(time.perf_counter() - t):.1f} ms")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cold_ok = "met" if cold_ms <= TARGET_COLD_MS else "NOT met"
    warm_ok = "met" if warm_ms <= TARGET_CACHED_MS else "NOT met"
    print(
        f"targets: cold ≤ {TARGET_COLD_MS:.0f} ms: {cold_ok}; "
        f"cached ≤ {TARGET_CACHED_MS:.0f} ms: {warm_ok}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--dreams", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="use a kept database")
    args = parser.parse_args()
    if args.quick:
        args.comments, args.dreams = min(args.comments, 50_000), 10_000
        args.cards, args.runs = 5_000, 5
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_bench")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("run this on PostgreSQL (DATABASE_URL=postgres://…)")
    name = urlsplit(base).path.lstrip("/") or "pp_bench"
    database_url = scratch_url(base, f"{name}_insights")
    reuse = args.reuse and database_exists(database_url)
    if not reuse:
        recreate_database(database_url)
    setup_django(database_url)
    try:
        if reuse:
            # A database kept by older code gets this code's tables.
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
        else:
            load(args.comments)
            top_up(args.dreams, args.cards)
        run(args.runs)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(database_url)


if __name__ == "__main__":
    main()
