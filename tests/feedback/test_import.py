"""Importing another GeoReport v2 server (`feedback/services/imports.py`), against
a local HTTP server the test starts, fed with a 6Aika-shaped fixture."""

from __future__ import annotations

import copy
import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils.dateparse import parse_datetime

from core.errors import Invalid
from core.jobs import registered_jobs
from feedback import georeport_client as client
from feedback.models import (
    Channel,
    FeedbackImportSource,
    FeedbackItem,
    FeedbackStatusChange,
    HeldReason,
    Kind,
    Status,
    Visibility,
)
from feedback.services.imports import source_import, source_register
from tests.factories import UserFactory
from tests.feedback.factories import FeedbackServiceFactory

FIXTURE = Path(__file__).parent / "fixtures" / "georeport_requests.json"
RECORDS = json.loads(FIXTURE.read_text(encoding="utf-8"))
OURS = {
    "171": "hel-kuopat",
    "174": "hel-puistot",
    "180": "hel-muu",
    "198": "hel-liikennemerkit",
    "211": "hel-leikkipuistot",
}  # 246 (libraries) is left unmapped on purpose: one fixture record uses it.
MAPPED = sum(1 for r in RECORDS if r["service_code"] in OURS)


class Plan:
    """What the fake server does; tests change it between runs."""

    def __init__(self) -> None:
        self.records = copy.deepcopy(RECORDS)
        self.mode = "ok"
        self.page_size = 100
        self.fail_on_page: int | None = None
        self.seen: list[dict] = []


def _newest_first(record) -> tuple[int, float]:
    when = isinstance(record, dict) and parse_datetime(record["requested_datetime"])
    return (0, -when.timestamp()) if when else (1, 0.0)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        plan: Plan = self.server.plan
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        plan.seen.append(query)
        port = self.server.server_address[1]
        if plan.mode == "hang":
            time.sleep(1)
            return None  # the client gave up long ago
        if plan.mode == "huge":
            # No Content-Length: the client must stop reading by itself.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                self.wfile.write(b"[")
                for _ in range(2000):
                    self.wfile.write(json.dumps(RECORDS[0]).encode() + b",")
            except OSError:
                pass  # the client hung up, as it should
            return None
        if plan.mode == "declared_huge":
            self.send_response(200)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            return None
        if plan.mode == "500":
            return self._send(500, b"<html>Internal Server Error</html>")
        if plan.mode == "badjson":
            return self._send(200, b'[{"service_request_id": "1", "status": "op')
        if plan.mode == "not_a_list":
            return self._send(200, b'{"error": "maintenance"}')
        if plan.mode == "redirect_other":
            location = f"http://localhost:{port}/v1/requests.json"
            return self._send(302, b"", {"Location": location})
        if plan.mode == "next_other":
            link = f'<http://localhost:{port}/v1/requests.json?page=2>; rel="next"'
            return self._send(200, b"[]", {"Link": link})
        if plan.mode == "redirect_same" and "moved" not in query:
            return self._send(301, b"", {"Location": parts.path + "?moved=1"})
        records = plan.records
        if "updated_after" in query:
            since = parse_datetime(query["updated_after"])
            records = [
                r for r in records if parse_datetime(r["updated_datetime"]) >= since
            ]
        # Newest first, as the specification says (malformed records last).
        records = sorted(records, key=_newest_first)
        page = int(query.get("page", 1))
        if plan.fail_on_page == page:
            return self._send(500, b"oops")
        chunk = records[(page - 1) * plan.page_size : page * plan.page_size]
        headers = {}
        if page * plan.page_size < len(records):
            rest = {**query, "page": str(page + 1)}
            link = "/v1/requests.json?" + "&".join(f"{k}={v}" for k, v in rest.items())
            headers["Link"] = f'<{link}>; rel="next"'
        return self._send(200, json.dumps(chunk).encode(), headers)


@pytest.fixture
def plan():
    return Plan()


@pytest.fixture
def server(plan):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.plan = plan
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def short_limits(settings):
    settings.FEEDBACK_IMPORT_CONNECT_TIMEOUT = 1
    settings.FEEDBACK_IMPORT_READ_TIMEOUT = 0.3
    settings.FEEDBACK_IMPORT_DEADLINE = 3
    settings.FEEDBACK_IMPORT_MAX_BYTES = 256 * 1024


@pytest.fixture
def services(city):
    return {
        code: FeedbackServiceFactory(city=city, service_code=code)
        for code in OURS.values()
    }


@pytest.fixture
def source(city, services, server):
    return source_register(
        base_url=server, city=city, name="Helsingin palaute", service_map=OURS
    )


def imported():
    return FeedbackItem.objects.filter(source_system="Helsingin palaute")


def test_first_import_stores_items_held_for_a_check_with_their_source(source, plan):
    report = source_import(source=source)

    assert report.ok, report.summary()
    assert (report.created, report.updated, report.pages) == (MAPPED, 0, 1)
    assert imported().count() == MAPPED
    item = imported().get(external_id="hel-2026-004711")
    assert item.channel == Channel.IMPORT
    assert item.source_licence == "CC BY 4.0"
    assert item.service.service_code == "hel-kuopat"
    assert item.city == source.city
    assert (item.visibility, item.held_reason) == (
        Visibility.PENDING,
        HeldReason.IMPORTED,
    )
    assert item.public_title == "Syvä kuoppa pyörätiellä"
    assert item.kind == Kind.FAULT and item.language == "fi"
    assert item.status == Status.ALLOCATED
    assert (item.lat, item.long) == (60.1866, 24.9608)
    assert (item.public_lat, item.public_long) == (60.187, 24.961)
    assert "kuoppa" in item.search_terms
    assert item.requested_at == parse_datetime("2026-11-20T17:42:00+02:00")
    assert list(item.history.values_list("status", flat=True)) == [Status.ALLOCATED]
    closed = imported().get(external_id="3uqqutuj6or12lpgbtnv")
    assert closed.status == Status.DONE and closed.closed_at is not None
    assert closed.answer.startswith("Hei,\nKiitos ilmoituksestanne.")
    assert closed.answered_at is not None
    assert not FeedbackItem.objects.public().exists()
    source.refresh_from_db()
    newest = max(parse_datetime(r["updated_datetime"]) for r in RECORDS)
    assert source.updated_after == newest
    assert source.last_run_ok is True and "created" in source.last_run_report
    # The first run asks for everything, with the extensions.
    assert "updated_after" not in plan.seen[0]
    assert plan.seen[0]["extensions"] == "true"


def test_a_re_run_creates_nothing_and_asks_only_for_updates(source, plan):
    source_import(source=source)
    report = source_import(source=FeedbackImportSource.objects.get(pk=source.pk))

    assert report.ok
    assert (report.created, report.updated) == (0, 0)
    assert imported().count() == MAPPED
    assert plan.seen[-1]["updated_after"] == "2026-11-29T17:55:00Z"


def test_an_update_at_the_source_changes_the_status_and_the_answer(source, plan):
    source_import(source=source)
    record = next(
        r for r in plan.records if r["service_request_id"] == "hel-2026-004780"
    )
    record.update(
        status="closed",
        status_notes="Routavaurio korjattu 2.12.",
        updated_datetime="2026-12-02T10:00:00+02:00",
    )

    report = source_import(source=FeedbackImportSource.objects.get(pk=source.pk))

    assert report.ok and (report.created, report.updated) == (0, 1)
    item = imported().get(external_id="hel-2026-004780")
    assert item.status == Status.DONE
    assert item.answer == "Routavaurio korjattu 2.12."
    assert item.closed_at == parse_datetime("2026-12-02T10:00:00+02:00")
    assert list(item.history.values_list("status", flat=True)) == [
        Status.RECEIVED,
        Status.DONE,
    ]
    assert "routavaurio" in item.search_terms


def test_pages_are_followed_to_the_end(source, plan):
    plan.page_size = 4

    report = source_import(source=source)

    assert report.ok and report.pages == 4
    assert imported().count() == MAPPED
    assert [q.get("page", "1") for q in plan.seen] == ["1", "2", "3", "4"]


def test_a_run_broken_half_way_keeps_its_pages_and_the_old_cursor(source, plan):
    plan.page_size, plan.fail_on_page = 4, 3

    report = source_import(source=source)

    assert not report.ok and "HTTP 500" in report.error
    assert report.pages == 2 and imported().count() == report.created
    source.refresh_from_db()
    assert source.updated_after is None and source.last_run_ok is False

    plan.fail_on_page = None
    again = source_import(source=source)
    assert again.ok and imported().count() == MAPPED
    assert again.created == MAPPED - report.created


def test_an_unknown_service_code_is_skipped_and_counted(source, city):
    report = source_import(source=source)

    assert report.unknown_codes == {"246": 1}
    assert "246 ×1" in report.summary()
    assert not imported().filter(external_id="hel-2026-004731").exists()


def test_an_unknown_service_code_goes_to_the_fallback_service(source, services):
    source_register(base_url=source.base_url, fallback_code="hel-muu")

    report = source_import(source=FeedbackImportSource.objects.get(pk=source.pk))

    assert report.created == len(RECORDS) and not report.unknown_codes
    praise = imported().get(external_id="hel-2026-004731")
    assert praise.service == services["hel-muu"] and praise.kind == Kind.PRAISE
    assert praise.service_object_id == "tprek:51342"


def test_malformed_records_are_skipped_and_reported(source, plan):
    plan.records[0]["lat"] = 95.0
    plan.records[1]["requested_datetime"] = "eilen"
    del plan.records[2]["long"]
    plan.records[3]["status"] = "lost\x1b[2J"  # a terminal escape, too
    plan.records.append("not an object")
    plan.records[4]["description"] = "Ohje\u202e ok\x00"
    plan.records[5]["extended_attributes"]["request_history"] = None  # allowed

    report = source_import(source=source)

    assert report.ok and report.invalid == 5
    text = report.summary()
    assert "3uqqutuj6or12lpgbtnv: lat: 95.0 is greater than the maximum of 90" in text
    assert "bou3gcoifl7gcabm0fn2: requested_datetime is not an ISO 8601" in text
    assert "is not one of ['open', 'closed']" in text and "\x1b" not in text
    assert imported().count() == MAPPED - 4
    cleaned = imported().get(external_id=plan.records[4]["service_request_id"])
    assert cleaned.description == "Ohje ok"


def test_a_trusted_source_publishes_at_once_but_holds_personal_data(source, plan):
    plan.records[3]["description"] += " Soita minulle 040 123 4567."
    source.trusted = True
    source.save()

    source_import(source=source)

    assert FeedbackItem.objects.public().count() == MAPPED - 1
    held = imported().get(external_id=plan.records[3]["service_request_id"])
    assert held.held_reason == HeldReason.PERSONAL_DATA


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("500", "HTTP 500"),
        ("badjson", "not valid JSON"),
        ("not_a_list", "not a JSON array"),
        ("redirect_other", "Refused a redirect to another host"),
        ("next_other", "Refused a next page on another host"),
        ("hang", "did not answer within 0.3 s"),
        ("huge", "grew past the limit"),
        ("declared_huge", "more than the limit"),
    ],
)
def test_a_broken_or_hostile_server_is_reported_and_nothing_is_written(
    source, plan, mode, message
):
    plan.mode = mode
    started = time.monotonic()

    report = source_import(source=source)

    assert time.monotonic() - started < 2.5
    assert not report.ok and message in report.error, report.error
    assert not imported().exists()
    source.refresh_from_db()
    assert source.updated_after is None
    assert source.last_run_ok is False and message in source.last_run_report


def test_a_redirect_on_the_same_server_is_followed(source, plan):
    plan.mode = "redirect_same"

    assert source_import(source=source).created == MAPPED


def test_only_http_and_https_are_read(city):
    with pytest.raises(Invalid):
        source_register(base_url="ftp://palaute.example.fi/v1/", city=city)
    with pytest.raises(client.FetchError, match="Only http and https"):
        client.fetch_page("file:///etc/passwd", client.Limits())


def test_the_command_registers_the_source_and_imports(city, services, server, capsys):
    call_command(
        "import_georeport",
        server,
        "--city",
        city.slug,
        "--name",
        "Helsingin palaute",
        *[f"--map={theirs}={ours}" for theirs, ours in OURS.items()],
    )

    assert f"{MAPPED} created" in capsys.readouterr().out
    assert imported().count() == MAPPED
    call_command("import_georeport", "--active")
    # Only the newest record is asked for again (`updated_after` includes it).
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out


def test_the_command_fails_clearly(city, services, server, plan):
    with pytest.raises(CommandError, match="needs a city"):
        call_command("import_georeport", server)
    with pytest.raises(CommandError, match="not a service of this city|Not a service"):
        call_command("import_georeport", server, "--city", city.slug, "--map=1=nope")
    plan.mode = "500"
    with pytest.raises(CommandError, match="Import failed"):
        call_command("import_georeport", server, "--city", city.slug)


def test_the_job_loop_imports_the_active_sources():
    job = registered_jobs()["import_georeport"]
    assert job.args == ("--active",)
    assert job.every == datetime.timedelta(minutes=15)


def test_site_admins_edit_the_sources_in_the_admin(client, city, services):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.post(
        "/admin/feedback_import_sources/new/",
        {
            "city": city.pk,
            "name": "Espoon palaute",
            "base_url": "https://palaute.espoo.fi/api/v1/",
            "licence": "CC BY 4.0",
            "service_map": '{"171": "hel-kuopat"}',
            "default_kind": Kind.FAULT,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    source = FeedbackImportSource.objects.get(name="Espoon palaute")
    assert source.service_map == {"171": "hel-kuopat"} and not source.trusted
    inspect = client.get(f"/admin/feedback_import_sources/inspect/{source.pk}/")
    assert inspect.status_code == 200
    # A mapping to a service the city does not have is refused, clearly.
    response = client.post(
        f"/admin/feedback_import_sources/edit/{source.pk}/",
        {
            "city": city.pk,
            "name": "Espoon palaute",
            "base_url": "ftp://palaute.espoo.fi/",
            "licence": "CC BY 4.0",
            "service_map": '{"171": "nope"}',
            "default_kind": Kind.FAULT,
        },
    )
    assert response.status_code == 200
    assert FeedbackImportSource.objects.get(pk=source.pk).is_active


def test_a_handler_cannot_edit_the_sources(client, handler):
    client.force_login(handler)

    response = client.get("/admin/feedback_import_sources/")

    assert response.status_code in (302, 403)


def test_a_page_that_fails_to_store_leaves_nothing_of_itself(source, monkeypatch):
    from feedback.services import imports

    real, calls = imports._item_create, []

    def fail_on_the_third(*args):
        calls.append(1)
        if len(calls) == 3:
            raise DatabaseError("disk full")
        return real(*args)

    monkeypatch.setattr(imports, "_item_create", fail_on_the_third)

    report = source_import(source=source)

    assert not report.ok and "Storing a page failed: disk full" in report.error
    assert report.created == 0 and not imported().exists()
    assert not FeedbackStatusChange.objects.exists()
    source.refresh_from_db()
    assert source.updated_after is None and source.last_run_ok is False


def test_a_place_the_source_moves_is_no_longer_confirmed(source, plan):
    source_import(source=source)
    record = next(r for r in plan.records if r.get("lat") is not None)
    item = imported().get(external_id=record["service_request_id"])
    item.place_confirmed = True
    item.save(update_fields=["place_confirmed"])
    record.update(lat=60.1799876, updated_datetime="2026-12-02T10:00:00+02:00")

    source_import(source=FeedbackImportSource.objects.get(pk=source.pk))

    item.refresh_from_db()
    assert not item.place_confirmed
    assert item.lat == 60.1799876 and item.public_lat == round(item.lat, 3)


def test_a_date_out_of_range_skips_the_record_and_a_note_with_a_code_stays_internal(
    source, plan
):
    plan.records[0]["requested_datetime"] = "9999-12-31T23:59:00+02:00"
    plan.records[1]["extended_attributes"]["request_history"] = [
        {
            "time": plan.records[1]["requested_datetime"],
            "status": "received",
            "note": "Soittakaa asiakkaalle, hetu 131052-308T",
        }
    ]

    report = source_import(source=source)

    assert report.ok and report.invalid == 1
    assert "requested_datetime is out of range" in report.summary()
    noted = imported().get(external_id=plan.records[1]["service_request_id"])
    step = noted.history.get(note__contains="131052-308T")
    assert step.internal
