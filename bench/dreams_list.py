"""Benchmark: dreams list page and similar-dreams endpoint, 500 vs 50,000 dreams.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_ideas_bench \
        .venv/bin/python bench/dreams_list.py [--dreams 50000] [--requests 60]

The script drops and re-creates the database named in DATABASE_URL (it refuses
the names `postgres` and `test`), migrates it, fills 500 dreams with supports,
measures, fills up to the full count, measures again, and prints p50/p95 per
request kind with the ratio to the same-run 500-dream baseline. Requests go through
Django's test client, so figures include URL routing, the view, the selectors and
template rendering (no network). Supports are anonymous keys (bulk_create).
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import recreate_database  # noqa: E402

os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_ideas_bench"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("REDIS_URL", "")

TARGET_GROUPS = [
    "everyone",
    "children",
    "young_people",
    "families",
    "working_age",
    "seniors",
    "immigrants",
    "disabilities",
    "students",
    "businesses",
]
REAL_WORDS = (
    "kirjasto ilta nuoret senioreille digiapu kotiin pyörä talvi leikkipuisto "
    "katos neuvonta selkokieli sauna ranta reitti esteetön tori kahvila kieli "
    "kesätyö kierrätys lautta aikataulu sovellus liikunta piha asunto yrittäjä "
    "myymälä luontokoulu metsä yöbussi saaristo viljely palsta koulu terveys "
    "omaishoitaja vertaistuki bussi juna uimahalli kuntosali päiväkoti nuorisotalo "
    "kirja musiikki teatteri museo taide tanssi peli läksyapu työtila etätyö "
    "library evening youth seniors digital help bike winter playground language "
    "bibliotek kväll unga äldre cykel vinter lekpark språk skola hälsa"
).split()


def make_vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    syllables = [
        "ka",
        "ki",
        "ko",
        "ku",
        "la",
        "li",
        "lo",
        "lu",
        "ma",
        "mi",
        "mo",
        "na",
        "ni",
        "no",
        "pa",
        "pi",
        "po",
        "ra",
        "ri",
        "ro",
        "sa",
        "si",
        "so",
        "ta",
        "ti",
        "to",
        "va",
        "vi",
        "jo",
        "ju",
        "ha",
        "he",
        "hy",
        "ää",
        "öy",
        "en",
    ]
    words = set(REAL_WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 5))))
    return sorted(words)


def zipf_pick(rng: random.Random, words: list[str]) -> str:
    # Roughly Zipfian: a few words are common, most are rare (like real text).
    index = min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)
    return words[index] if rng.random() < 0.6 else rng.choice(words)


def fill(total: int, rng: random.Random, words, cities, topics) -> None:
    """Add dreams (and supports) until there are `total` of them."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from core.models import District
    from ideas.models import Dream, DreamStatus, DreamSupport
    from ideas.services import dream_trends_refresh

    districts: dict[int, list] = {}
    for district in District.objects.all():
        districts.setdefault(district.city_id, []).append(district)
    existing = Dream.objects.count()
    now = timezone.now()
    # Give rows their own dates at insert time (no UPDATE afterwards, which would
    # leave a bloated table that a live system would not have).
    Dream._meta.get_field("created_at").auto_now_add = False
    DreamSupport._meta.get_field("created_at").auto_now_add = False
    statuses = [s for s in DreamStatus.values if s != DreamStatus.MERGED]
    batch = 2000
    through = Dream.topics.through
    while existing < total:
        size = min(batch, total - existing)
        dreams = []
        for _ in range(size):
            title = " ".join(zipf_pick(rng, words) for _ in range(rng.randint(3, 6)))
            description = " ".join(
                zipf_pick(rng, words) for _ in range(rng.randint(15, 45))
            )
            support_total = min(int(rng.paretovariate(1.3)) - 1, 400)
            city = rng.choice(cities) if rng.random() > 0.1 else None
            # Half of a city's dreams name one of its districts.
            district = (
                rng.choice(districts[city.pk])
                if city and districts.get(city.pk) and rng.random() < 0.5
                else None
            )
            dreams.append(
                Dream(
                    created_at=now - timedelta(days=rng.random() * 365),
                    support_count=support_total,
                    title=title.capitalize()[:120],
                    description=description,
                    target_group=rng.choice(TARGET_GROUPS),
                    city=city,
                    district=district,
                    status=rng.choice(statuses) if rng.random() < 0.4 else "new",
                    language="fi",
                    anonymous_key=uuid.uuid4(),
                    nickname="Bench",
                )
            )
        Dream.objects.bulk_create(dreams)
        links = []
        supports = []
        for dream in dreams:
            for topic in rng.sample(topics, rng.randint(0, 2)):
                links.append(through(dream_id=dream.pk, topic_id=topic.pk))
            # Heavy-tailed supports: most dreams a few, some hundreds.
            supports.extend(
                DreamSupport(
                    dream_id=dream.pk,
                    anonymous_key=uuid.uuid4(),
                    created_at=now - timedelta(days=rng.random() * 60),
                )
                for _ in range(dream.support_count)
            )
        through.objects.bulk_create(links, batch_size=5000)
        DreamSupport.objects.bulk_create(supports, batch_size=5000)
        existing += size
    # Supports were bulk-created with their dates, past the services: count them
    # into "trending" as the hourly job does.
    dream_trends_refresh()
    with connection.cursor() as cursor:
        # What autovacuum does in a live system after bulk loads and updates.
        cursor.execute("VACUUM ANALYZE")


def _district_id(city_slug: str) -> int:
    from core.models import District

    return District.objects.filter(city__slug=city_slug, slug="district-1").get().pk


def measure(client, requests: int, rng: random.Random, words) -> dict:
    from ideas.models import Dream

    sample_texts = list(
        Dream.objects.order_by("?").values_list("title", "description")[:200]
    )
    district = _district_id("helsinki")
    kinds = {
        "list: city, most supported": lambda i: "/dreams/?city=helsinki&sort=supported",
        "list: city+group+status, newest": lambda i: (
            "/dreams/?city=turku&target_group=seniors&status=new&sort=newest"
        ),
        "list: topic, trending": lambda i: "/dreams/?topic=topic-1&sort=trending",
        "list: city+district, newest": lambda i: (
            f"/dreams/?city=helsinki&district={district}&sort=newest"
        ),
        "list: all, trending": lambda i: "/dreams/?sort=trending",
        "list: word search": lambda i: (
            f"/dreams/?q={rng.choice(REAL_WORDS)}&sort=supported"
        ),
        "similar (JSON)": lambda i: (
            "/dreams/similar/?" + _similar_query(rng, sample_texts)
        ),
    }
    results = {}
    for name, make_url in kinds.items():
        timings = []
        for i in range(requests + 5):
            url = make_url(i)
            start = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=f"10.1.{i // 250}.{i % 250}")
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if i >= 5:  # warm-up
                timings.append(elapsed)
        timings.sort()
        results[name] = (
            statistics.median(timings),
            timings[int(len(timings) * 0.95) - 1],
        )
    return results


def _similar_query(rng, sample_texts) -> str:
    from urllib.parse import urlencode

    title, description = rng.choice(sample_texts)
    # What someone is typing: a few words of a title and of a description.
    return urlencode(
        {
            "title": " ".join(title.split()[: rng.randint(2, 4)]),
            "description": " ".join(description.split()[: rng.randint(5, 20)]),
            "city": rng.choice(["helsinki", "turku", ""]),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dreams", type=int, default=50_000)
    parser.add_argument("--baseline", type=int, default=500)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        raise SystemExit("run this on PostgreSQL (DATABASE_URL=postgres://…)")
    recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from core.models import City, District, Topic

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    words = make_vocabulary(rng)
    cities = [
        City.objects.create(slug="helsinki", name_fi="Helsinki"),
        City.objects.create(slug="turku", name_fi="Turku"),
    ]
    topics = [
        Topic.objects.create(slug=f"topic-{n}", name_fi=f"Aihe {n}") for n in range(12)
    ]
    for city in cities:
        for n in range(8):
            District.objects.create(
                city=city,
                slug=f"district-{n}",
                name_fi=f"Alue {n}",
                name_sv=f"Område {n}",
            )
    client = Client()

    started = time.perf_counter()
    fill(args.baseline, rng, words, cities, topics)
    small = measure(client, args.requests, rng, words)
    small_load = os.getloadavg()
    fill(args.dreams, rng, words, cities, topics)
    filled = time.perf_counter() - started
    large = measure(client, args.requests, rng, words)
    large_load = os.getloadavg()

    from ideas.models import DreamSupport

    print(
        f"dreams: {args.baseline} → {args.dreams}; supports at the end: "
        f"{DreamSupport.objects.count()}; fill took {filled:.0f} s; "
        f"{args.requests} requests per kind"
    )
    # The machine may be shared: say how busy it was after each measurement.
    print(
        "load average (1, 5, 15 min) after the baseline: "
        + " ".join(f"{n:.2f}" for n in small_load)
        + "; after the full run: "
        + " ".join(f"{n:.2f}" for n in large_load)
    )
    small_n, large_n = args.baseline, args.dreams
    header = (
        f"{'request':34} {'p50@' + str(small_n):>10} {'p95@' + str(small_n):>10}"
        f" {'p50@' + str(large_n):>11} {'p95@' + str(large_n):>11} {'ratio p50':>9}"
    )
    print(header)
    print("-" * len(header))
    for name in small:
        s50, s95 = small[name]
        l50, l95 = large[name]
        print(
            f"{name:34} {s50:8.1f}ms {s95:8.1f}ms {l50:9.1f}ms {l95:9.1f}ms"
            f" {l50 / s50:9.2f}"
        )


if __name__ == "__main__":
    main()
