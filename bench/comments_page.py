"""How the planned-service page scales with the number of comments.

Fills one planned service per size with 100, 1,000 and 10,000 top-level comments
(plus replies on every tenth comment and likes), then times the server (Django test
client → URL resolver → Wagtail → view → template) for the first page and for a deep
page (90 % of the way through, by cursor), logged in as a resident, round-robin
with the home page as a same-run baseline. Prints p50/p95 per size and the
10,000 / 100 ratio.

    .venv/bin/python bench/comments_page.py            # temporary SQLite file
    DATABASE_URL=postgres://… .venv/bin/python bench/comments_page.py

Targets (issue 3): ratio ≤ 1.5 and p50 ≤ 150 ms at 10,000 comments.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_tmp = tempfile.TemporaryDirectory(prefix="pp-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

from accounts.models import User  # noqa: E402
from cms.models import CityPage, HomePage  # noqa: E402
from core.cursors import cursor_encode  # noqa: E402
from core.models import City  # noqa: E402
from discussions.models import Comment, CommentLike  # noqa: E402
from participation.models import (  # noqa: E402
    Lifecycle,
    PlannedServicePage,
    PlannedServiceSection,
)
from participation.services import service_discussions_sync  # noqa: E402

SIZES = [100, 1_000, 10_000]
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
WARMUP = 3


def build_tree():
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Palvelupaja", slug="bench-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home},
    )
    city = City.objects.create(slug="bench", name_fi="Penkki")
    city_page = home.add_child(
        instance=CityPage(title="Penkki", slug="penkki", city=city)
    )
    return city_page


def fill_service(city_page, size: int, users: list[User]) -> tuple[str, str]:
    now = timezone.now()
    page = PlannedServicePage(
        title=f"Palvelu {size}",
        slug=f"palvelu-{size}",
        summary="Vertailu",
        status=Lifecycle.OPEN,
        comments_open_at=now - timedelta(days=30),
        comments_close_at=now + timedelta(days=30),
    )
    page.sections = [PlannedServiceSection(title=f"Osio {n}") for n in range(3)]
    city_page.add_child(instance=page)
    page.save_revision().publish()
    page = PlannedServicePage.objects.get(pk=page.pk)
    discussion = service_discussions_sync(page=page)[page.discussion_key]
    start = now - timedelta(days=20)
    top = Comment.objects.bulk_create(
        (
            Comment(
                discussion=discussion,
                author=users[n % len(users)],
                text=f"Kommentti numero {n}. " * 8,
                like_count=n % 7,
                created_at=start + timedelta(seconds=n * 10),
            )
            for n in range(size)
        ),
        batch_size=2000,
    )
    replies = []
    for comment in top[::10]:
        for r in range(2):
            replies.append(
                Comment(
                    discussion=discussion,
                    parent=comment,
                    author=users[(comment.pk + r + 1) % len(users)],
                    text="Vastaus, samaa mieltä.",
                    created_at=comment.created_at + timedelta(seconds=r + 1),
                )
            )
    Comment.objects.bulk_create(replies, batch_size=2000)
    Comment.objects.filter(pk__in=[c.pk for c in top[::10]]).update(reply_count=2)
    likes = [
        CommentLike(comment=comment, user=users[k])
        for comment in top
        for k in range(comment.like_count)
    ]
    CommentLike.objects.bulk_create(likes, batch_size=5000)
    discussion.comment_count = size + len(replies)
    discussion.save(update_fields=["comment_count"])
    # The deep page: the cursor after 90 % of the comments, oldest first.
    ordered = sorted(top, key=lambda c: (c.created_at, c.pk))
    anchor = ordered[int(size * 0.9) - 1]
    cursor = cursor_encode(anchor.created_at, anchor.pk)
    return page.url, f"{page.url}?order=oldest&after={cursor}"


def measure(client: Client, urls: dict) -> dict:
    """Time every URL once per round, round-robin, so load changes hit all alike."""
    for url in urls.values():
        for _ in range(WARMUP):
            assert client.get(url).status_code == 200
    times: dict = {key: [] for key in urls}
    for _ in range(RUNS):
        for key, url in urls.items():
            started = time.perf_counter()
            response = client.get(url)
            times[key].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    return times


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    city_page = build_tree()
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", display_name=f"Asukas {n}", password="!")  # noqa: S106 - unusable password
        for n in range(50)
    )
    client = Client()
    client.force_login(users[0])
    print(f"database: {django.db.connection.vendor}; runs per URL: {RUNS}")
    urls = {(0, "home"): "/"}
    for size in SIZES:
        first_url, deep_url = fill_service(city_page, size, users)
        urls[(size, "first")] = first_url
        urls[(size, "deep")] = deep_url
    # Fresh statistics, as autovacuum would have gathered on a live database.
    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    times = measure(client, urls)
    print(f"{'comments':>9} {'page':>6} {'p50 ms':>8} {'p95 ms':>8}")
    p50s = {}
    for (size, label), values in times.items():
        p50s[(size, label)] = statistics.median(values)
        name = "-" if size == 0 else f"{size:,}"
        print(
            f"{name:>9} {label:>6} {p50s[(size, label)]:>8.1f} {pct(values, 95):>8.1f}"
        )
    for label in ("first", "deep"):
        ratio = p50s[(SIZES[-1], label)] / p50s[(SIZES[0], label)]
        print(f"ratio p50 {SIZES[-1]:,} / {SIZES[0]} ({label} page): {ratio:.2f}")
    print(
        "baseline: the home page (no comments) p50 "
        f"{p50s[(0, 'home')]:.1f} ms in the same run, on the same machine"
    )


if __name__ == "__main__":
    main()
