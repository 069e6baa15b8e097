"""Open data at scale: API pages and bulk downloads over 1,000,000 comments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench REDIS_URL=redis://… \
        .venv/bin/python bench/opendata.py [--comments 1000000] [--quick] [--keep]

Makes a scratch database `<name of DATABASE_URL>_opendata` (refusing `postgres`),
migrates it, bulk-loads planned services with their sections, users, dreams and
`--comments` comments (one INSERT … SELECT generate_series: 90 % top-level, 10 %
replies, a fifth anonymous, some hidden or pending, a few formula-like texts), then
serves it with daphne in its own process (DEBUG off, as in production) and measures
over HTTP on localhost:

- `/api/v1/comments/` page p50/p95: the first page, the page reached by following
  `next` `--pages` times (1,000; fewer when the data has fewer pages), and both
  again with `updated_since`; the API root in the same rounds is the baseline;
- the CSV, CSV for Excel, JSON Lines and Parquet downloads
  (`/api/v1/exports/comments.<fmt>`) in rows per second, with the growth of the
  daphne process's resident memory (peak RSS sampled every 10 ms from /proc, minus
  RSS when the download began);
- the floor: PostgreSQL's own COPY of the download's statement
  (`opendata.copy_csv.copy_statement`: the served query with the pseudonym join,
  the formula guard and the times in SQL), run directly and read by psycopg,
  and the download's throughput against it (`/floor`); beside it the COPY of
  the raw served rows (the ORM query alone, no formatting: `/raw`), a stricter
  figure that also charges the formatting to the download.

Targets (issues 5 and 15): page p50 ≤ 50 ms at any depth; CSV ≥ 50,000 rows/s and
≥ 0.8 of the COPY floor; the serving process grows by ≤ 100 MB during a full download.
`--quick` is a smoke run (50,000 comments, 50 pages deep, fewer rounds). The scratch
database is dropped at the end unless `--keep`; `--reuse` measures a kept one again.
"""

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    PeakRss,
    database_exists,
    drop_database,
    pct,
    recreate_database,
    scratch_url,
)
from tests import live  # noqa: E402

TARGET_P50_MS = 50.0
TARGET_CSV_ROWS_S = 50_000
TARGET_FLOOR_RATIO = 0.8
TARGET_RSS_MB = 100.0
SERVICES = 20  # planned services (each with 3 sections: 80 discussions)
USERS = 5000
MB = 1024 * 1024

COMMENTS_SQL = """
INSERT INTO discussions_comment (
    created_at, updated_at, discussion_id, parent_id, author_id, anonymous_key,
    nickname, text, language, stance, status, hidden_reason, content_hash,
    edited_at, like_count, reply_count, report_count, first_published_at
)
SELECT %(t0)s + g * interval '20 seconds',
       -- distinct times: (updated_at, id) pages have no ties to skip
       %(t0)s + g * interval '20 seconds' + (g %% 5) * interval '1 hour',
       (%(discussions)s::bigint[])[1 + g %% %(n_discussions)s],
       NULL,
       CASE WHEN g %% 5 = 0 THEN NULL
            ELSE (%(users)s::bigint[])[1 + (g::bigint * 7919) %% %(n_users)s] END,
       CASE WHEN g %% 5 = 0 THEN md5('anon' || (g %% 20000))::uuid END,
       CASE WHEN g %% 5 = 0 THEN 'Nimimerkki' ELSE '' END,
       CASE WHEN g %% 100 = 7 THEN '=SUM(A1:A9) ' ELSE '' END
           || 'Kommentti ' || g || ': '
           || repeat('Hyvä idea, mutta "bussi" kulkee harvoin; ', 1 + g %% 6),
       'fi',
       (ARRAY['', 'for', 'against', 'neutral'])[1 + g %% 4],
       CASE WHEN g %% 50 = 0 THEN 'hidden'
            WHEN g %% 97 = 0 THEN 'pending' ELSE 'visible' END,
       '', '', NULL, g %% 13, 0, 0,
       -- shown when written, unless still awaiting moderation
       CASE WHEN g %% 50 <> 0 AND g %% 97 = 0 THEN NULL
            ELSE %(t0)s + g * interval '20 seconds' END
FROM generate_series(1, %(top)s) AS g
"""

REPLIES_SQL = """
INSERT INTO discussions_comment (
    created_at, updated_at, discussion_id, parent_id, author_id, anonymous_key,
    nickname, text, language, stance, status, hidden_reason, content_hash,
    edited_at, like_count, reply_count, report_count, first_published_at
)
SELECT c.created_at + interval '5 seconds', c.updated_at + interval '5 seconds',
       c.discussion_id, c.id,
       (%(users)s::bigint[])[1 + (c.id * 31) %% %(n_users)s], NULL, '',
       'Vastaus: samaa mieltä, ' || c.id, 'fi', '', 'visible', '', '', NULL, 0, 0, 0,
       c.created_at + interval '5 seconds'
FROM discussions_comment c
WHERE c.parent_id IS NULL AND c.id %% 9 = 0
ORDER BY c.id
LIMIT %(replies)s
"""


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def build_services() -> list[int]:
    """Published planned services under two city pages; their discussion ids."""
    from wagtail.models import Page, Site

    from cms.models import CityPage, HomePage
    from core.models import City
    from participation.models import (
        Lifecycle,
        PlannedServicePage,
        PlannedServiceSection,
    )
    from participation.services import service_discussions_sync

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Palvelupaja", slug="bench-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "127.0.0.1", "port": 80, "root_page": home},
    )
    discussions = []
    for slug, name in (("helsinki", "Helsinki"), ("espoo", "Espoo")):
        city = City.objects.create(slug=slug, name_fi=name)
        city_page = home.add_child(
            instance=CityPage(title=name, slug=f"{slug}-bench", city=city)
        )
        for n in range(SERVICES // 2):
            page = PlannedServicePage(
                title=f"{name}: palvelu {n}",
                slug=f"palvelu-{n}",
                summary="Suunniteltu palvelu kommentoitavaksi",
                status=Lifecycle.OPEN,
            )
            page.sections = [
                PlannedServiceSection(title=f"Osio {k}", body="<p>Teksti</p>")
                for k in range(3)
            ]
            city_page.add_child(instance=page)
            page.save_revision().publish()
            page = PlannedServicePage.objects.get(pk=page.pk)
            discussions += [d.pk for d in service_discussions_sync(page=page).values()]
    return discussions


def load(comments: int) -> None:
    """Services, users, dreams and `comments` comments, then VACUUM ANALYZE."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from core.models import City
    from ideas.models import Dream

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    discussions = build_services()
    users = [
        user.pk
        for user in User.objects.bulk_create(
            (
                User(
                    email=f"asukas{n}@example.org",
                    display_name=f"Asukas {n}",
                    password="!",  # noqa: S106 - unusable password
                )
                for n in range(USERS)
            ),
            batch_size=5000,
        )
    ]
    now = timezone.now()
    replies = comments // 10
    params = {
        "t0": now - timedelta(seconds=20 * comments) - timedelta(hours=6),
        "discussions": discussions,
        "n_discussions": len(discussions),
        "users": users,
        "n_users": len(users),
        "top": comments - replies,
        "replies": replies,
    }
    with connection.cursor() as cursor:
        cursor.execute(COMMENTS_SQL, params)
        cursor.execute(REPLIES_SQL, params)
        cursor.execute(
            "UPDATE discussions_comment p SET reply_count = 1 FROM "
            "discussions_comment r WHERE r.parent_id = p.id"
        )
    cities = list(City.objects.all())
    Dream._meta.get_field("created_at").auto_now_add = False
    Dream.objects.bulk_create(
        (
            Dream(
                created_at=now - timedelta(minutes=n),
                title=f"Unelma {n}",
                description="Iltakirjasto nuorille ja senioreille. " * 4,
                target_group="everyone",
                city=cities[n % 2],
                language="fi",
                anonymous_key=uuid.uuid4(),
                nickname="Penkki",
                support_count=n % 40,
            )
            for n in range(max(1000, comments // 50))
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # What autovacuum does on a live database after bulk loads.
        cursor.execute("VACUUM ANALYZE")
    print(f"loaded in {time.perf_counter() - started:.0f} s")


def server_env(database_url: str) -> dict[str, str]:
    env = live.server_env(database_url, os.environ.get("REDIS_URL", ""))
    env.update(
        DEBUG="false",
        SECRET_KEY=uuid.uuid4().hex * 2,
        PSEUDONYM_KEY=uuid.uuid4().hex * 2,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1",
    )
    return env


class Http:
    """One keep-alive session; each request from its own (forwarded) address, so
    the anonymous limit of 60 a minute does not stop the run."""

    def __init__(self, port: int):
        import requests

        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.count = 0

    def get(self, url: str, **kwargs):
        self.count += 1
        n = self.count
        headers = {
            "Accept": "application/json",
            "X-Forwarded-For": f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}",
        }
        if not url.startswith("http"):
            url = self.base + url
        return self.session.get(url, headers=headers, timeout=600, **kwargs)

    def timed(self, url: str) -> tuple[float, dict]:
        started = time.perf_counter()
        response = self.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, response.json()


PAGE_SIZE = 100


def deep_pages(rows: int, wanted: int) -> int:
    """How many `next` links to follow: `wanted`, but never past the last page
    that `rows` rows fill (so a smaller data set still gets a deep page)."""
    return max(1, min(wanted, rows // PAGE_SIZE - 1))


def walk(http: Http, url: str, pages: int) -> tuple[str, list[float]]:
    """Follow `next` `pages` times; the URL reached and the time of every page."""
    times = []
    for _ in range(pages):
        elapsed, body = http.timed(url)
        times.append(elapsed)
        if not body["next"]:  # the data ended first: measure the last page
            break
        url = body["next"]
    return url, times


def measure_pages(http: Http, urls: dict[str, str], runs: int) -> dict:
    """Each URL once per round, round-robin, so load changes hit all alike."""
    for url in urls.values():
        for _ in range(3):
            http.timed(url)
    times: dict[str, list[float]] = {label: [] for label in urls}
    for _ in range(runs):
        for label, url in urls.items():
            times[label].append(http.timed(url)[0])
    return times


def download(http: Http, pid: int, fmt: str, folder: Path) -> tuple[int, float, int]:
    """(rows, seconds, RSS growth in bytes) of one full download."""
    path = folder / f"comments.{fmt}"
    lines = 0
    with PeakRss(pid) as memory, path.open("wb") as out:
        started = time.perf_counter()
        response = http.get(f"/api/v1/exports/comments.{fmt}", stream=True)
        assert response.status_code == 200, response.status_code
        for chunk in response.iter_content(chunk_size=MB):
            out.write(chunk)
            lines += chunk.count(b"\n")
        elapsed = time.perf_counter() - started
    if fmt == "parquet":
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(path).metadata.num_rows
    else:
        # The generated texts have no line breaks: one line per row.
        rows = lines - (1 if fmt.endswith("csv") else 0)
    path.unlink()
    return rows, elapsed, memory.growth


def served_query() -> tuple[str, list]:
    """The query the comments download serves (its public rows, its columns, its
    order), as SQL and parameters: what COPY alone is measured on."""
    from opendata import datasets

    dataset = datasets.get("comments")
    queryset = (
        dataset.queryset()
        .order_by("updated_at", "id")
        .values_list(*dataset.flat_fields)
    )
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def floor(database_url: str) -> tuple[int, float]:
    """(rows, seconds) of PostgreSQL's own COPY of the served query run directly,
    read by psycopg: the floor. (The raw author references stand in for the
    pseudonyms, which need the key.)"""
    import psycopg

    sql, params = served_query()
    url = database_url.replace("postgres://", "postgresql://", 1)
    lines = 0
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        started = time.perf_counter()
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER", params) as copy:
            for block in copy:
                lines += bytes(block).count(b"\n")
        elapsed = time.perf_counter() - started
    return lines - 1, elapsed


def served_floor() -> tuple[int, float]:
    """(rows, seconds) of the download's own statement (`copy_csv.copy_statement`:
    the served query with its pseudonym join, formula guard and RFC 3339 times)
    run directly and read by psycopg, as issue 15 names the floor. The pseudonym
    tables are made before the clock starts, as they are before the first row."""
    from django.db import connection, transaction

    from opendata import datasets
    from opendata.copy_csv import copy_statement

    lines = 0
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        with copy_statement(datasets.get("comments"), cursor) as (sql, params):
            started = time.perf_counter()
            with cursor.copy(sql, params) as copy:
                for block in copy:
                    lines += bytes(block).count(b"\n")
            elapsed = time.perf_counter() - started
    return lines, elapsed


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=1000, help="cursor depth")
    parser.add_argument("--runs", type=int, default=40, help="rounds per page")
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="use a kept database")
    args = parser.parse_args()
    if args.quick:
        args.comments = min(args.comments, 50_000)
        args.pages, args.runs = min(args.pages, 50), min(args.runs, 10)

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_bench")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("run this on PostgreSQL (DATABASE_URL=postgres://…)")
    name = urlsplit(base).path.lstrip("/") or "pp_bench"
    database_url = scratch_url(base, f"{name}_opendata")
    reuse = args.reuse and database_exists(database_url)
    if not reuse:
        recreate_database(database_url)
    setup_django(database_url)
    try:
        if not reuse:
            load(args.comments)
        run(database_url, args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(database_url)


def run(database_url: str, args) -> None:
    from django.db import connection

    from discussions.models import Comment

    total = Comment.objects.count()
    public = Comment.objects.filter(status="visible").count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT updated_at FROM discussions_comment ORDER BY updated_at "
            "OFFSET %s LIMIT 1",
            [total // 2],
        )
        middle = cursor.fetchone()[0]
    since = urlencode({"updated_since": middle.isoformat()})
    # The deep pages are sized from the data: the plain list pages through the
    # visible comments, `updated_since` through the later half (tombstones too).
    depth = deep_pages(public, args.pages)
    since_depth = deep_pages(
        Comment.objects.filter(updated_at__gte=middle, status="visible").count(),
        args.pages,
    )
    print(
        f"database: PostgreSQL; comments: {total:,} ({public:,} visible); "
        f"cursor depth: {depth} pages of {PAGE_SIZE} ({since_depth} with "
        f"updated_since); rounds: {args.runs}"
    )

    folder = Path(tempfile.mkdtemp(prefix="pp-bench-opendata-"))
    port = live.free_port()
    with (folder / "daphne.log").open("wb") as log:
        server = live.start_daphne(
            server_env(database_url), port, log=log, extra_args=["--proxy-headers"]
        )
    try:
        http = Http(port)
        first = "/api/v1/comments/"
        deep, walked = walk(http, first, depth)
        since_first = f"/api/v1/comments/?{since}"
        since_deep, since_walked = walk(http, since_first, since_depth)
        times = measure_pages(
            http,
            {
                "API root (baseline)": "/api/v1/",
                "comments, first page": first,
                f"comments, page {len(walked) + 1}": deep,
                "updated_since, first page": since_first,
                f"updated_since, page {len(since_walked) + 1}": since_deep,
            },
            args.runs,
        )
        baseline = pct(times["API root (baseline)"], 50)
        print()
        print(f"{'API page':34} {'p50 ms':>8} {'p95 ms':>8} {'p50/base':>9}")
        worst = 0.0
        for label, values in times.items():
            p50 = pct(values, 50)
            if label != "API root (baseline)":
                worst = max(worst, p50)
            print(f"{label:34} {p50:8.1f} {pct(values, 95):8.1f} {p50 / baseline:9.2f}")
        for label, values in (
            ("walking the cursor", walked),
            ("walking with updated_since", since_walked),
        ):
            print(
                f"{label + f' ({len(values)} pages)':34} {pct(values, 50):8.1f} "
                f"{pct(values, 95):8.1f} {pct(values, 50) / baseline:9.2f}"
            )

        served_rows, served_s = served_floor()
        assert served_rows == public, (served_rows, public)
        served_rate = served_rows / served_s
        floor_rows, floor_s = floor(database_url)
        floor_rate = floor_rows / floor_s
        print()
        print(
            f"{'download':34} {'rows':>9} {'s':>7} {'rows/s':>9} "
            f"{'/floor':>7} {'/raw':>6} {'RSS +MB':>8}"
        )
        print(
            f"{'COPY (download statement), floor':34} {served_rows:9,} "
            f"{served_s:7.1f} {served_rate:9,.0f} {1:7.2f} "
            f"{served_rate / floor_rate:6.2f} {'-':>8}"
        )
        print(
            f"{'COPY (raw served rows)':34} {floor_rows:9,} {floor_s:7.1f} "
            f"{floor_rate:9,.0f} {floor_rate / served_rate:7.2f} {1:6.2f} {'-':>8}"
        )
        rates, growths = {}, {}
        for fmt in ("csv", "excel.csv", "jsonl", "parquet"):
            rows, seconds, growth = download(http, server.pid, fmt, folder)
            assert rows == public, (fmt, rows, public)
            rates[fmt], growths[fmt] = rows / seconds, growth / MB
            print(
                f"{'/api/v1/exports/comments.' + fmt:34} {rows:9,} {seconds:7.1f} "
                f"{rates[fmt]:9,.0f} {rates[fmt] / served_rate:7.2f} "
                f"{rates[fmt] / floor_rate:6.2f} {growths[fmt]:8.1f}"
            )
    finally:
        live.stop(server)

    ratio = rates["csv"] / served_rate
    print()
    print("targets (issues 5, 15):")
    print(
        f"  API page p50 ≤ {TARGET_P50_MS:.0f} ms at any depth: worst "
        f"{worst:.1f} ms — {verdict(worst <= TARGET_P50_MS)}"
    )
    print(
        f"  CSV ≥ {TARGET_CSV_ROWS_S:,} rows/s: {rates['csv']:,.0f} — "
        f"{verdict(rates['csv'] >= TARGET_CSV_ROWS_S)}"
    )
    print(
        f"  CSV ≥ {TARGET_FLOOR_RATIO} of the COPY floor: {ratio:.2f} — "
        f"{verdict(ratio >= TARGET_FLOOR_RATIO)} (of the raw rows' COPY: "
        f"{rates['csv'] / floor_rate:.2f})"
    )
    peak = max(growths.values())
    print(
        f"  serving process grows ≤ {TARGET_RSS_MB:.0f} MB during a download: "
        f"{peak:.1f} MB — {verdict(peak <= TARGET_RSS_MB)}"
    )
    print(
        f"baseline: the API root p50 {baseline:.1f} ms and the COPY floor in the same "
        "run, on the same machine; load average (1, 5, 15 min): "
        + ", ".join(f"{load:.1f}" for load in os.getloadavg())
    )


if __name__ == "__main__":
    main()
