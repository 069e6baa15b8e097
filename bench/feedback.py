"""Feedback at scale: the GeoReport v2 API and the knowledge base over 200,000 items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench REDIS_URL=redis://… \
        .venv/bin/python bench/feedback.py [--items 200000] [--runs 40] [--quick]

Makes a scratch database `<name of DATABASE_URL>_feedback` (refusing `postgres`),
migrates it and bulk-loads two cities with 8 services each and `--items` feedback
items (bulk_create in batches, not the services: the services are measured by
their own tests) spread over two years: a mix of kinds, statuses and languages,
most public, some held or private, about 70 % with a published point, the done
ones answered, each with a one- to three-step public handling trail (one INSERT …
SELECT). Then it serves the database with daphne in its own process (DEBUG off,
as in production) and measures over HTTP on localhost, each request on a new
connection (as a city's app or a data portal would), round-robin so that changes
in the machine's load hit every kind alike:

- `services.json` — the baseline: a tiny answer through the same stack;
- `requests.json` — the newest 100 items (the default page);
- `requests.json?service_code=…&status=open&start_date=…` — filtered;
- `requests/<id>.json` — one item;
- `requests.json?lat=…&long=…&radius=500` — a point-radius query;
- `/feedback/?q=kirjastoon` — the knowledge base's search page (HTML, lemmas:
  "kirjastoon" finds "kirjasto").

Prints p50/p95 and p50 over the baseline for each, the load average and the
targets of issue 16 (lists ≤ 25 ms, search ≤ 100 ms); never asserts times.
`--explain` also runs each request once in this process and prints, for every
query it makes, its time and the indexes PostgreSQL's plan uses (a sequential
scan of the items is the sign of a missing index). The
scratch database is dropped at the end unless `--keep`; `--reuse` measures a kept
one again. `--quick` is a smoke run (20,000 items, 10 rounds).
"""

import argparse
import hashlib
import http.client
import os
import random
import subprocess
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
    database_exists,
    drop_database,
    pct,
    recreate_database,
    scratch_url,
)
from tests import live  # noqa: E402

TARGET_LIST_MS = 25.0
# The index a plan reads (`Index Scan using X`, `Bitmap Index Scan on X`).
INDEX_USED = r"Index (?:Only )?Scan using (\w+)|Bitmap Index Scan on (\w+)"
TARGET_SEARCH_MS = 100.0
BATCH = 5000
# (kind, language, title, description): the texts the items cycle through, each
# analysed for search once.
TEXTS = [
    ("fault_report", "fi", "Kirjaston ovi rikki", "Kirjaston automaattiovi ei aukea."),
    ("question", "fi", "Kirjaston aukioloajat", "Onko kirjasto auki lauantaisin?"),
    ("praise", "fi", "Kiitos kirjastolle", "Kirjastossa on ihana satutuokio."),
    ("complaint", "fi", "Bussi myöhässä", "Bussi 55 jättää aamuvuoroja ajamatta."),
    ("idea", "fi", "Penkkejä puistoon", "Puistoon tarvittaisiin lisää penkkejä."),
    ("fault_report", "fi", "Kuoppa pyörätiellä", "Syvä kuoppa pyörätiellä."),
    ("complaint", "fi", "Auraamaton katu", "Jalkakäytävää ei ole aurattu."),
    ("question", "fi", "Päiväkotipaikka", "Milloin päiväkotipaikasta ilmoitetaan?"),
    ("fault_report", "fi", "Katuvalo pimeänä", "Katuvalo ei pala risteyksessä."),
    ("idea", "fi", "Uimahallin vuorot", "Uimahalliin lisää aamuvuoroja."),
    ("complaint", "sv", "Kallt i simhallen", "Vattnet i bassängen är kallt."),
    ("question", "sv", "Bibliotekets öppettider", "Har biblioteket öppet i juli?"),
    ("praise", "sv", "Tack till skolan", "Skolmaten har blivit mycket bättre."),
    ("idea", "en", "Displays at tram stops", "Tram stops need departure screens."),
    ("fault_report", "en", "Broken playground swing", "A swing is broken."),
    ("question", "en", "Online booking", "Can I book a nurse appointment online?"),
]
STATUSES = ["done"] * 11 + ["handling"] * 3 + ["allocated"] * 3 + ["received"] * 3
CENTRES = {"helsinki": (60.1699, 24.9384), "turku": (60.4518, 22.2666)}

HISTORY_SQL = """
INSERT INTO feedback_feedbackstatuschange (item_id, status, note, internal,
                                           created_at)
SELECT i.id, s.status, s.note, false, i.requested_at + s.after
FROM feedback_feedbackitem i
CROSS JOIN (VALUES ('received', '', interval '0'),
                   ('allocated', 'Välitetty vastuuyksikölle.', interval '1 day'),
                   ('handling', 'Työn alla.', interval '2 days'),
                   ('done', 'Käsitelty.', interval '3 days')) AS s(status, note, after)
WHERE s.status = 'received'
   OR (s.status = 'allocated' AND i.status IN ('allocated', 'handling', 'done'))
   OR (s.status = 'handling' AND i.status IN ('handling', 'done'))
   OR (s.status = 'done' AND i.status = 'done')
"""


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def build_services() -> list:
    """Two cities with the demo's services (8 each) and a few districts."""
    from core.models import City, District
    from feedback.demo_data import SERVICES
    from feedback.models import FeedbackService

    services = []
    for slug, name, prefix in (
        ("helsinki", "Helsinki", "hel"),
        ("turku", "Turku", "tku"),
    ):
        city = City.objects.create(slug=slug, name_fi=name)
        District.objects.bulk_create(
            District(city=city, slug=f"alue-{n}", name_fi=f"Alue {n}") for n in range(8)
        )
        for order, (suffix, _agency, names, texts, groups, _c) in enumerate(SERVICES):
            services.append(
                FeedbackService.objects.create(
                    city=city,
                    service_code=f"{prefix}-{suffix}",
                    order=order,
                    name_fi=names[0],
                    name_sv=names[1],
                    name_en=names[2],
                    description_fi=texts[0],
                    group_fi=groups[0],
                )
            )
    return services


def analysed() -> list[str]:
    """Each text's search terms, as the services write them."""
    from feedback.models import FeedbackItem
    from feedback.services.common import search_terms

    return [
        search_terms(
            FeedbackItem(
                public_title=title, public_description=text, answer="", language=lang
            )
        )
        for _kind, lang, title, text in TEXTS
    ]


def items(count: int, services: list, terms: list[str]):
    """`count` unsaved items, newest first every five minutes back."""
    from django.utils import timezone

    from core.models import District
    from feedback.models import FeedbackItem, Visibility

    rng = random.Random(16)  # noqa: S311 - test data
    districts: dict[int, list[int]] = {}
    for district in District.objects.all():
        districts.setdefault(district.city_id, []).append(district.pk)
    now = timezone.now()
    for n in range(count):
        service = services[n % len(services)]
        kind, language, title, text = TEXTS[n % len(TEXTS)]
        status = STATUSES[rng.randrange(len(STATUSES))]
        requested = now - timedelta(minutes=5 * n + rng.randrange(5))
        visibility = (
            Visibility.PENDING
            if n % 33 == 0
            else Visibility.PRIVATE
            if n % 51 == 0
            else Visibility.PUBLIC
        )
        lat = long = public_lat = public_long = None
        if n % 10 < 7:
            centre = CENTRES[service.city.slug]
            lat = centre[0] + rng.uniform(-0.06, 0.06)
            long = centre[1] + rng.uniform(-0.12, 0.12)
            public_lat, public_long = round(lat, 3), round(long, 3)
        done = status == "done"
        yield FeedbackItem(
            city_id=service.city_id,
            service=service,
            kind=kind,
            title=title,
            description=text,
            public_title=title,
            public_description=text,
            language=language,
            district_id=rng.choice(districts[service.city_id]),
            lat=lat,
            long=long,
            public_lat=public_lat,
            public_long=public_long,
            status=status,
            visibility=visibility,
            requested_at=requested,
            published_at=requested if visibility == Visibility.PUBLIC else None,
            closed_at=requested + timedelta(days=3) if done else None,
            answer="Kiitos palautteesta, asia on korjattu." if done else "",
            answered_at=requested + timedelta(days=3) if done else None,
            anonymous_key=uuid.UUID(int=n + 1),
            tracking_token_hash=hashlib.sha256(f"bench-{n}".encode()).hexdigest(),
            support_count=n % 7,
            search_terms=terms[n % len(TEXTS)],
        )


def load(count: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from feedback.models import FeedbackItem

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    services = build_services()
    terms = analysed()
    batch = []
    for item in items(count, services, terms):
        batch.append(item)
        if len(batch) >= BATCH:
            FeedbackItem.objects.bulk_create(batch)
            batch = []
    if batch:
        FeedbackItem.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute(HISTORY_SQL)
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


class Client:
    """Each request on a new connection, from its own (forwarded) address, so the
    API's anonymous limit does not stop the run."""

    def __init__(self, port: int):
        self.port = port
        self.count = 0

    def timed(self, url: str) -> tuple[float, int, bytes]:
        self.count += 1
        n = self.count
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-For": f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}",
            "Connection": "close",
        }
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        return (time.perf_counter() - started) * 1000, response.status, body


def urls() -> dict[str, str]:
    """What is measured, the baseline first."""
    from django.utils import timezone

    from feedback.models import FeedbackItem

    one = (
        FeedbackItem.objects.public()
        .order_by("-requested_at")
        .values_list("pk", flat=True)[500]
    )
    start = (timezone.now() - timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    api = "/api/georeport/v2"
    filtered = urlencode(
        {"service_code": "hel-libraries", "status": "open", "start_date": start}
    )
    radius = urlencode({"lat": 60.1699, "long": 24.9384, "radius": 500})
    return {
        "services.json (baseline)": f"{api}/services.json",
        "requests.json (100 items)": f"{api}/requests.json",
        "requests.json filtered": f"{api}/requests.json?{filtered}",
        "requests/<id>.json": f"{api}/requests/{one}.json",
        "requests.json radius 500 m": f"{api}/requests.json?{radius}",
        "knowledge base ?q=kirjastoon": "/feedback/?q=kirjastoon",
    }


def measure(client: Client, targets: dict[str, str], runs: int) -> dict:
    """Each URL once per round, round-robin, after three warm-up rounds."""
    for label, url in targets.items():
        for _ in range(3):
            elapsed, status, body = client.timed(url)
            if status != 200:
                raise SystemExit(f"{label}: {url} answered {status}: {body[:300]!r}")
    times: dict[str, list[float]] = {label: [] for label in targets}
    for _ in range(runs):
        for label, url in targets.items():
            times[label].append(client.timed(url)[0])
    return times


def explain(targets: dict[str, str]) -> None:
    """Each request once in process: its queries' times and the plans' indexes."""
    import re

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    print()
    with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
        for label, url in targets.items():
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(f"{label}: {len(queries.captured_queries)} queries")
            for query in queries.captured_queries:
                if not query["sql"].lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                used = sorted(
                    {"".join(found) for found in re.findall(INDEX_USED, plan)}
                )
                scans = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)))
                took = re.search(r"Execution Time: ([\d.]+)", plan).group(1)
                table = re.search(r'FROM "(\w+)"', query["sql"])
                print(
                    f"  {took:>8} ms  {table.group(1) if table else '?':32} "
                    f"indexes: {', '.join(used) or '-'}"
                    + (f"; seq scans: {', '.join(scans)}" if scans else "")
                )


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=40, help="rounds")
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="use a kept database")
    parser.add_argument("--explain", action="store_true", help="print query plans")
    args = parser.parse_args()
    if args.quick:
        args.items, args.runs = min(args.items, 20_000), min(args.runs, 10)

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_bench")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("run this on PostgreSQL (DATABASE_URL=postgres://…)")
    name = urlsplit(base).path.lstrip("/") or "pp_bench"
    database_url = scratch_url(base, f"{name}_feedback")
    reuse = args.reuse and database_exists(database_url)
    if not reuse:
        recreate_database(database_url)
    setup_django(database_url)
    try:
        if not reuse:
            load(args.items)
        run(database_url, args)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(database_url)


def run(database_url: str, args) -> None:
    from feedback.models import FeedbackItem

    total = FeedbackItem.objects.count()
    public = FeedbackItem.objects.public().count()
    print(
        f"database: PostgreSQL; feedback items: {total:,} ({public:,} public); "
        f"rounds: {args.runs}; each request on a new connection"
    )
    targets = urls()
    # DEBUG off serves static files from the collected manifest (pages need it),
    # which the server's settings write.
    subprocess.run(  # noqa: S603 - our own manage.py
        [live.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env(database_url),
        check=True,
    )
    folder = Path(tempfile.mkdtemp(prefix="pp-bench-feedback-"))
    port = live.free_port()
    with (folder / "daphne.log").open("wb") as log:
        server = live.start_daphne(
            server_env(database_url), port, log=log, extra_args=["--proxy-headers"]
        )
    try:
        times = measure(Client(port), targets, args.runs)
    finally:
        live.stop(server)

    if args.explain:
        explain(targets)
    baseline_label = next(iter(targets))
    baseline = pct(times[baseline_label], 50)
    print()
    print(f"{'request':34} {'p50 ms':>8} {'p95 ms':>8} {'p50/base':>9}")
    for label, values in times.items():
        p50 = pct(values, 50)
        print(f"{label:34} {p50:8.1f} {pct(values, 95):8.1f} {p50 / baseline:9.2f}")
    lists = [label for label in targets if label.startswith("requests")]
    worst = max(pct(times[label], 50) for label in lists)
    search = pct(times["knowledge base ?q=kirjastoon"], 50)
    print()
    print("targets (issue 16):")
    print(
        f"  API lists and one item p50 ≤ {TARGET_LIST_MS:.0f} ms: worst "
        f"{worst:.1f} ms — {verdict(worst <= TARGET_LIST_MS)}"
    )
    print(
        f"  knowledge-base search p50 ≤ {TARGET_SEARCH_MS:.0f} ms: {search:.1f} ms — "
        f"{verdict(search <= TARGET_SEARCH_MS)}"
    )
    print(
        f"baseline: services.json p50 {baseline:.1f} ms in the same run, on the same "
        "machine; load average (1, 5, 15 min): "
        + ", ".join(f"{load:.1f}" for load in os.getloadavg())
    )


if __name__ == "__main__":
    main()
