"""Benchmark: building and queueing the daily digests for 100,000 followers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench \
        .venv/bin/python bench/digests.py [--followers 100000] [--quick] [--keep] \
        [--reuse] [--profile]

Makes a scratch database `<name of DATABASE_URL>_digests` (refusing
`postgres`), migrates it and bulk-loads `--followers` people (a third each
writing in Finnish, Swedish and English; one in ten with a delivery choice of
their own: weekly, at once or never), 200 service dreams and, for every person,
one to four unread notifications of the last day about the dreams they follow
(bulk_create and COPY-free INSERTs, not the services: the services are measured
by their own tests). Then it times, in this process:

- the baseline: reading every pending notification with its recipient alone
  (the one scan a digest run cannot avoid);
- `notifications.mail.digests_send(period="daily")`: choosing who gets a digest,
  checking each target is still public, rendering each e-mail (plain text and
  HTML, in the person's language, with its signed unsubscribe link and headers),
  writing the outbox rows and marking the notifications as e-mailed. Sending is
  excluded (the outbox sends later, `send_queued_mail`).

Prints both times, their ratio, the digests queued, the load average (the
machine may be shared) and the target of issue 20 (≤ 2 minutes); never asserts
times. The scratch database is dropped at the end unless `--keep`; `--reuse`
measures a kept one again: it migrates it, empties the outbox and clears every
`emailed_at` (the state the load left), so each run queues the same digests.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    database_exists,
    drop_database,
    recreate_database,
    scratch_url,
)

TARGET_S = 120.0
BATCH = 5000
DREAMS = 200


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    # Queue only: nothing is sent while the digests are built.
    settings.PARTICIPATION_MAIL_DELIVERY = "command"


def load(followers: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from core.models import City
    from ideas.models import Dream
    from notifications.models import (
        Delivery,
        DeliveryPreference,
        Follow,
        Notification,
    )

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(20)
    city = City.objects.create(slug="helsinki", name_fi="Helsinki")
    dreams = Dream.objects.bulk_create(
        Dream(
            title=f"Unelma {n}: iltakirjasto <nuorille>",
            description="Kirjasto, joka on auki myöhään.",
            target_group="young_people",
            city=city,
            language="fi",
            nickname="Bench",
        )
        for n in range(DREAMS)
    )
    dream_type = ContentType.objects.get_for_model(Dream)
    password = make_password(None)
    now = timezone.now()
    languages = ["fi", "sv", "en"]
    choices = [Delivery.WEEKLY, Delivery.IMMEDIATE, Delivery.NEVER]
    for start in range(0, followers, BATCH):
        users = User.objects.bulk_create(
            User(
                email=f"follower{n}@example.org",
                display_name=f"Seuraaja {n}",
                preferred_language=languages[n % 3],
                password=password,
            )
            for n in range(start, min(start + BATCH, followers))
        )
        follows, notes, prefs = [], [], []
        for user in users:
            mine = rng.sample(dreams, rng.randint(1, 4))
            for dream in mine:
                follows.append(
                    Follow(user=user, content_type=dream_type, object_id=dream.pk)
                )
                notes.append(
                    Notification(
                        recipient=user,
                        kind="ideas.dream_status",
                        content_type=dream_type,
                        object_id=dream.pk,
                        text=dream.title,
                        url=f"/dreams/{dream.pk}/",
                        params={"status": "under_review"},
                        created_at=now - timedelta(minutes=rng.randint(1, 1400)),
                    )
                )
            if rng.random() < 0.1:
                prefs.append(
                    DeliveryPreference(
                        user=user,
                        kind="ideas.dream_status",
                        delivery=rng.choice(choices),
                    )
                )
        Follow.objects.bulk_create(follows, batch_size=BATCH)
        Notification.objects.bulk_create(notes, batch_size=BATCH)
        DeliveryPreference.objects.bulk_create(prefs, batch_size=BATCH)
    # As autovacuum would leave it before a nightly run: statistics for the
    # planner, and no vacuum of the fresh rows started in the middle of the run.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"loaded {followers:,} followers, {Notification.objects.count():,} "
        f"notifications in {time.perf_counter() - started:.0f} s"
    )


def reset() -> None:
    """Undo an earlier run on a kept database: the outbox emptied, nothing
    e-mailed, the tables vacuumed (so dead rows of that run cost nothing)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_outgoingmail")
        cursor.execute(
            "UPDATE notifications_notification SET emailed_at = NULL "
            "WHERE emailed_at IS NOT NULL"
        )
        cursor.execute("VACUUM ANALYZE notifications_notification")
        cursor.execute("VACUUM ANALYZE core_outgoingmail")


def baseline() -> tuple[float, int]:
    """Read every pending notification with its recipient (the floor)."""
    from notifications.models import Notification

    started = time.perf_counter()
    rows = 0
    for _row in (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .select_related("recipient")
        .only("pk", "kind", "text", "url", "recipient__email")
        .iterator(chunk_size=5000)
    ):
        rows += 1
    return time.perf_counter() - started, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 followers")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="use a kept database")
    parser.add_argument(
        "--profile", action="store_true", help="print where the digest run spends"
    )
    args = parser.parse_args()
    if args.quick:
        args.followers = min(args.followers, 10_000)
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pp_bench")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("run this on PostgreSQL (DATABASE_URL=postgres://…)")
    name = urlsplit(base).path.lstrip("/") or "pp_bench"
    database_url = scratch_url(base, f"{name}_digests")
    reuse = args.reuse and database_exists(database_url)
    if not reuse:
        recreate_database(database_url)
    setup_django(database_url)
    try:
        if reuse:
            reset()
        else:
            load(args.followers)
        from core.models import OutgoingMail
        from notifications.mail import digests_send

        base_s, rows = baseline()
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        queued = digests_send(period="daily")
        digest_s = time.perf_counter() - started
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        load_avg = os.getloadavg()
        print(f"baseline: read {rows:,} pending notifications in {base_s:.1f} s")
        print(
            f"daily digests: {queued:,} queued ({OutgoingMail.objects.count():,} "
            f"outbox rows) in {digest_s:.1f} s; {digest_s / base_s:.1f}× the "
            f"baseline; target ≤ {TARGET_S:.0f} s: "
            f"{'met' if digest_s <= TARGET_S else 'NOT met'}"
        )
        print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in load_avg))
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(database_url)


if __name__ == "__main__":
    main()
