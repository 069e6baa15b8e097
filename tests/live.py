"""Live servers for the e2e and scale tests (and the benchmark): a database file or
PostgreSQL database that subprocesses share, seeded by a subprocess, served by daphne.

Run as `python -m tests.live seed <participants>` to seed the database named by
DATABASE_URL and print what was made as JSON.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium with the flags this machine needs; never a downloaded browser.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DAPHNE = str(ROOT / ".venv" / "bin" / "daphne")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, redis_url: str = "") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="true",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def load_demo(env: dict[str, str]) -> dict:
    """`manage.py load_demo` into the database of `env`; then the addresses of
    the demo's pages that have ids in them (see `_demo_main`)."""
    subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", "load_demo", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    out = subprocess.run(  # noqa: S603 - our own module
        [PYTHON, "-m", "tests.live", "demo"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def seed(
    env: dict[str, str],
    participants: int = 2,
    boards: int = 1,
    votes: int = 5,
    voting_open: bool = False,
) -> dict:
    """A workshop with boards and participants; `voting_open` opens voting on
    its boards (as a facilitator may outside the vote phase) for a writing and
    voting load such as the benchmark's."""
    out = subprocess.run(  # noqa: S603 - our own module
        [
            PYTHON,
            "-m",
            "tests.live",
            "seed",
            str(participants),
            str(boards),
            str(votes),
            str(int(voting_open)),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_daphne(
    env: dict[str, str], port: int, log=None, extra_args: list[str] | None = None
) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own server
        [
            DAPHNE,
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            *(extra_args or []),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )
    # A server loads the lemmatiser's dictionaries before it listens (seconds,
    # more on a busy machine).
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}")
        try:
            with urllib.request.urlopen(  # noqa: S310 - local http
                f"http://127.0.0.1:{port}/healthz", timeout=2
            ) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("daphne did not answer /healthz in 90 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _session_for(user=None, participant=None) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from workshops import services

    session = SessionStore()
    if user is not None:
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if participant is not None:
        services.session_participant_remember(session, participant)
    session.save()
    return session.session_key


def _seed_main(
    participants: int, boards: int, votes: int, voting_open: int = 0
) -> None:
    import django

    django.setup()
    from django.utils import timezone

    from accounts.models import Role, User
    from accounts.services import role_grant
    from core.models import City
    from workshops import services
    from workshops.models import Board, Column

    city, _ = City.objects.get_or_create(
        slug="helsinki", defaults={"name_fi": "Helsinki"}
    )
    user = User.objects.filter(email="fasi@example.org").first() or (
        User.objects.create_user(
            "fasi@example.org", "correct horse battery", display_name="Fasi"
        )
    )
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    workshop = services.workshop_create(
        user=user, city=city, title="Live jam", starts_at=timezone.now()
    )
    board = workshop.boards.get()
    Board.objects.filter(workshop=workshop).update(vote_budget=votes)
    board_ids = [board.pk]
    for i in range(1, boards):
        extra = Board.objects.create(workshop=workshop, title=f"Board {i}", position=i)
        Column.objects.bulk_create(
            Column(board=extra, title=t, position=p) for p, t in enumerate("ABCD")
        )
        board_ids.append(extra.pk)
    if voting_open:
        Board.objects.filter(workshop=workshop).update(voting_choice=True)
    people = []
    for i in range(participants):
        participant = services.participant_join(
            workshop=workshop, display_name=f"Participant {i}"
        )
        people.append(
            {"id": participant.pk, "session": _session_for(participant=participant)}
        )
    result = {
        "workshop": workshop.pk,
        "code": workshop.join_code,
        "board": board.pk,
        "boards": board_ids,
        "columns": list(board.columns.values_list("id", flat=True)),
        "board_columns": {
            str(b): list(Column.objects.filter(board_id=b).values_list("id", flat=True))
            for b in board_ids
        },
        "facilitator_session": _session_for(user=user),
        "participants": people,
    }
    print(json.dumps(result))  # noqa: T201 - the parent process reads it


def _public_feedback_item() -> int | None:
    """A public demo feedback item with an answer (None before the demo has any)."""
    from feedback.models import FeedbackItem

    item = FeedbackItem.objects.public().exclude(answer="").order_by("pk").first()
    return item.pk if item else None


def _demo_main() -> None:
    import django

    django.setup()
    from cms.models import CityPage
    from ideas.models import Dream
    from participation.models import PlannedServicePage
    from workshops import demo
    from workshops.models import Workshop

    service = (
        PlannedServicePage.objects.live()
        .filter(locale__language_code="fi")
        .order_by("pk")
        .first()
    )
    upcoming = Workshop.objects.get(join_code=demo.UPCOMING_CODE)
    from workshops.panels import demo as panels_demo
    from workshops.panels.models import Panel

    panel = Panel.objects.get(theme=panels_demo.PANEL_THEME)
    result = {
        "city": CityPage.objects.live()
        .filter(locale__language_code="fi")
        .order_by("pk")
        .first()
        .url,
        "service": service.url,
        "service_id": service.pk,
        "dream": Dream.objects.order_by("pk").first().pk,
        "workshop": upcoming.pk,
        "board": upcoming.boards.order_by("position").first().pk,
        "code": demo.UPCOMING_CODE,
        "panel": panel.pk,
        "feedback_item": _public_feedback_item(),
        "advice_chat": _demo_advice_chat(),
    }
    result.update(_demo_feedback())
    result["unsubscribe"] = _demo_unsubscribe()
    print(json.dumps(result))  # noqa: T201 - the parent process reads it


def _demo_unsubscribe() -> str:
    """The unsubscribe confirmation page of the first demo person (a signed link
    the server checks with its own key)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import translation

    from notifications.mail import unsubscribe_token

    user = get_user_model().objects.filter(is_active=True).order_by("pk").first()
    with translation.override("en"):
        return reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk)])


def _demo_advice_chat() -> int | None:
    """A closed demo chat that advisor@ held: its publish page is theirs to see."""
    from advice.models import Chat, ChatStatus

    chat = (
        Chat.objects.filter(
            status=ChatStatus.CLOSED,
            advisor__user__email="advisor@palvelupaja.test",
        )
        .order_by("pk")
        .first()
    )
    return chat.pk if chat else None


def _demo_feedback() -> dict:
    """A public demo feedback item (answered, with a history) and its follow-up
    token: `feedback.demo` gives that item a token derived from the secret key."""
    from feedback.demo import demo_tracked_item, demo_tracking_token

    item = demo_tracked_item()
    if item is None:
        return {}
    return {
        "feedback": item.pk,
        "feedback_token": demo_tracking_token(),
        "feedback_track": f"/feedback/track/{demo_tracking_token()}/",
    }


if __name__ == "__main__" and sys.argv[1:2] == ["seed"]:
    _seed_main(*(int(arg) for arg in sys.argv[2:6]))
if __name__ == "__main__" and sys.argv[1:2] == ["demo"]:
    _demo_main()


def _admin_and_name(database_url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return admin, parts.path.lstrip("/")


def _count_connections(conn, name: str) -> int:
    return conn.execute(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = %s AND backend_type = 'client backend'",
        [name],
    ).fetchone()[0]


def database_connections(database_url: str) -> int:
    """Client connections PostgreSQL holds open to the database of `database_url`
    (counted from the `postgres` database, so the count leaves out our own)."""
    import psycopg

    admin, name = _admin_and_name(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        return _count_connections(conn, name)


def get_burst(url: str, concurrency: int, timeout: float = 60) -> list[int]:
    """`concurrency` GETs of `url` sent at once; their status codes (0 when the
    request itself failed)."""
    import threading
    import urllib.error
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(concurrency)

    def one(_):
        barrier.wait()
        try:
            with urllib.request.urlopen(  # noqa: S310 - local http
                url, timeout=timeout
            ) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, range(concurrency)))


def _sample_peak(database_url: str, peak: list[int], done) -> None:
    import psycopg

    admin, name = _admin_and_name(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        while not done.is_set():
            peak.append(_count_connections(conn, name))
            done.wait(0.02)


def connection_bursts(
    url: str, database_url: str, bursts: int, concurrency: int, pause: float = 0.5
) -> list[dict]:
    """Repeated bursts of concurrent GETs; for each, the status codes, the peak
    number of connections to the database while it ran (sampled every 20 ms)
    and the number still held `pause` seconds after it."""
    import threading

    results = []
    for _ in range(bursts):
        peak, done = [database_connections(database_url)], threading.Event()
        sampler = threading.Thread(target=_sample_peak, args=(database_url, peak, done))
        sampler.start()
        try:
            statuses = get_burst(url, concurrency)
        finally:
            done.set()
            sampler.join()
        time.sleep(pause)
        results.append(
            {
                "statuses": statuses,
                "peak": max(peak),
                "after": database_connections(database_url),
            }
        )
    return results


@contextmanager
def serving(env: dict[str, str], folder: Path) -> Iterator[str]:
    """daphne for `env` on a free port, its log in `folder`: the base URL."""
    port = free_port()
    with open(folder / "daphne.log", "wb") as log:
        process = start_daphne(env, port, log=log)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)
