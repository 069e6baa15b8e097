"""Importing public feedback from another GeoReport v2 (6Aika) server.

`source_import(source=…)` asks the source for everything updated since its
cursor (`updated_after`), follows the server's next-page links, checks each
record (`feedback/georeport_records.py`) and stores each page in one
transaction: a page is stored whole or not at all. Items are matched by
(source name, their id), so a re-run creates nothing and an update changes the
item in place. The cursor moves only in the transaction that stores the run's
last page, so a run broken half-way is simply repeated from the old cursor (the
pages before the break are read again and found unchanged). A bad record is
skipped and reported; a bad page or a broken server ends the run with its reason
in the report.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import searchables
from core.errors import Invalid
from core.locking import lock_row, lock_rows
from core.models import City
from core.personal_identifiers import contains_personal_identifier
from core.sanitize import clean_text
from feedback import georeport_client as client
from feedback.georeport_records import BadRecord, Record, record_parse
from feedback.models import (
    Channel,
    FeedbackImportSource,
    FeedbackItem,
    FeedbackService,
    FeedbackStatusChange,
    HeldReason,
    Status,
    Visibility,
    tracking_token_hash,
    tracking_token_new,
)
from feedback.services.common import (
    closed_at_for,
    held_reason_for,
    public_point,
    search_terms,
    visibility_for,
)

PAGE_SIZE = 100
MAX_PAGES = 1000  # one run; a server sending next links forever is stopped
REPORTED_PROBLEMS = 50  # invalid records listed in a report (all are counted)


@dataclass
class ImportReport:
    source: str
    pages: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unknown_codes: Counter = field(default_factory=Counter)
    invalid: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def summary(self) -> str:
        lines = [
            f"{self.source}: {'ok' if self.ok else 'FAILED'}, {self.pages} page(s) "
            f"stored: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.invalid} invalid, "
            f"{sum(self.unknown_codes.values())} with an unknown service code"
        ]
        if self.unknown_codes:
            codes = ", ".join(
                f"{code} ×{n}" for code, n in sorted(self.unknown_codes.items())
            )
            lines.append(f"unknown service codes (skipped): {codes}")
        lines += [f"invalid record {p}" for p in self.problems]
        lines += [f"warning: {w}" for w in self.warnings]
        if self.error:
            lines.append(f"error: {self.error}")
        # Ids, values and URLs in it come from the other server: no terminal
        # escapes or bidi tricks reach the console or the admin.
        first, *rest = (clean_text(line, multiline=False) for line in lines)
        return "\n  ".join([first, *rest])


def limits_from_settings() -> client.Limits:
    defaults = client.Limits()
    return client.Limits(
        connect_timeout=getattr(
            settings, "FEEDBACK_IMPORT_CONNECT_TIMEOUT", defaults.connect_timeout
        ),
        read_timeout=getattr(
            settings, "FEEDBACK_IMPORT_READ_TIMEOUT", defaults.read_timeout
        ),
        deadline=getattr(settings, "FEEDBACK_IMPORT_DEADLINE", defaults.deadline),
        max_bytes=getattr(settings, "FEEDBACK_IMPORT_MAX_BYTES", defaults.max_bytes),
    )


def _item_create(
    source: FeedbackImportSource, service: FeedbackService, record: Record
) -> FeedbackItem:
    values = record.fields
    if source.trusted:
        held = held_reason_for(
            service,
            values["title"],
            values["description"],
            values["address"],
            values["answer"],
        )
    else:
        held = HeldReason.IMPORTED
    visibility = visibility_for(held)
    now = timezone.now()
    item = FeedbackItem(
        city_id=source.city_id,
        service=service,
        public_title=values["title"],
        public_description=values["description"],
        channel=Channel.IMPORT,
        visibility=visibility,
        held_reason=held,
        published_at=now if visibility == Visibility.PUBLIC else None,
        tracking_token_hash=tracking_token_hash(tracking_token_new()),
        source_system=source.name,
        source_licence=source.licence,
        external_id=record.external_id,
        **values,
    )
    item.public_lat, item.public_long = public_point(
        item.lat, item.long, confirmed=False
    )
    item.closed_at = closed_at_for(item.status, item.closed_at)
    item.search_terms = search_terms(item)
    item.save()
    steps = record.history or [(item.requested_at, Status.RECEIVED, "")]
    if steps[-1][1] != item.status:
        steps.append((record.updated, item.status, ""))
    FeedbackStatusChange.objects.bulk_create(
        FeedbackStatusChange(
            item=item,
            status=status,
            note=note,
            # A source's note naming a person is kept for the handlers only.
            internal=contains_personal_identifier(note),
            created_at=at,
        )
        for at, status, note in steps
    )
    searchables.reindex_on_commit("feedback", item.pk)
    return item


# What an update from the source may change: never the service, kind or anything
# a handler decides (visibility, redaction, confirmed place, agency).
_FOLLOWED = (
    "title",
    "description",
    "language",
    "status",
    "answer",
    "expected_at",
    "address",
    "lat",
    "long",
    "service_object_id",
    "service_object_type",
)


def _item_update(
    source: FeedbackImportSource, item: FeedbackItem, record: Record
) -> bool:
    """Follow the source's changes; whether anything changed."""
    values = record.fields
    changed = [name for name in _FOLLOWED if getattr(item, name) != values[name]]
    if not changed:
        return False
    old_status = item.status
    for name in changed:
        setattr(item, name, values[name])
    if "answer" in changed:
        item.answered_at = record.updated if item.answer else None
        changed.append("answered_at")
    if "status" in changed:
        item.closed_at = closed_at_for(item.status, item.closed_at or record.updated)
        changed.append("closed_at")
    if {"address", "lat", "long"} & set(changed) and item.place_confirmed:
        # The handler confirmed the old place, not the one the source moved to.
        item.place_confirmed = False
        changed.append("place_confirmed")
    if not item.is_redacted:
        item.public_title, item.public_description = item.title, item.description
        changed += ["public_title", "public_description"]
    text_changed = {"title", "description", "answer"} & set(changed)
    if item.visibility == Visibility.PUBLIC:
        # Published text that changed at an unchecked source waits for a check
        # again; personal data in any new text always does.
        held = ""
        if contains_personal_identifier(item.public_title, item.public_description):
            held = HeldReason.PERSONAL_DATA
        elif "answer" in changed and contains_personal_identifier(item.answer):
            held = HeldReason.PERSONAL_DATA
        elif text_changed and not source.trusted:
            held = HeldReason.IMPORTED
        if held:
            item.visibility, item.held_reason = Visibility.PENDING, held
            changed += ["visibility", "held_reason"]
    item.public_lat, item.public_long = public_point(
        item.lat, item.long, confirmed=item.place_confirmed
    )
    item.search_terms = search_terms(item)
    changed += ["public_lat", "public_long", "search_terms", "updated_at"]
    item.save(update_fields=changed)
    known = item.history.order_by("-created_at").values_list("created_at", flat=True)
    latest = known.first()
    steps = [s for s in record.history if latest is None or s[0] > latest]
    if item.status != old_status and (not steps or steps[-1][1] != item.status):
        steps.append((max(record.updated, latest or record.updated), item.status, ""))
    FeedbackStatusChange.objects.bulk_create(
        FeedbackStatusChange(
            item=item,
            status=status,
            note=note,
            # A source's note naming a person is kept for the handlers only.
            internal=contains_personal_identifier(note),
            created_at=at,
        )
        for at, status, note in steps
    )
    searchables.reindex_on_commit("feedback", item.pk)
    return True


def _page_store(
    *,
    source: FeedbackImportSource,
    records: list,
    report: ImportReport,
    cursor: datetime.datetime | None,
    last: bool,
) -> datetime.datetime | None:
    """Store one page in one transaction; the run's newest update time so far.
    On the run's last page the source's cursor moves to it, in the same
    transaction."""
    counts: Counter = Counter()
    unknown: Counter = Counter()
    problems: list[str] = []
    with transaction.atomic():
        source = lock_row(FeedbackImportSource, source.pk)
        if source is None:
            raise client.FetchError("The source was deleted during the run.")
        parsed: list[Record] = []
        for raw in records:
            try:
                parsed.append(record_parse(raw, source))
            except BadRecord as error:
                rid = raw.get("service_request_id") if isinstance(raw, dict) else "?"
                problems.append(f"{str(rid)[:100]}: {error}")
        mapping = source.service_map if isinstance(source.service_map, dict) else {}
        ours = {
            s.service_code: s
            for s in FeedbackService.objects.filter(
                city_id=source.city_id, service_code__in=list(mapping.values())
            )
        }
        fallback = source.fallback_service
        existing = {
            item.external_id: item
            for item in lock_rows(
                FeedbackItem.objects.filter(
                    source_system=source.name,
                    external_id__in=[r.external_id for r in parsed],
                )
            ).values()
        }
        for record in parsed:
            cursor = max(cursor, record.updated) if cursor else record.updated
            if record.external_id in existing:
                changed = _item_update(source, existing[record.external_id], record)
                counts["updated" if changed else "unchanged"] += 1
                continue
            service = ours.get(mapping.get(record.service_code, ""))
            if service is None and fallback and fallback.city_id == source.city_id:
                service = fallback
            if service is None:
                unknown[record.service_code] += 1
                continue
            existing[record.external_id] = _item_create(source, service, record)
            counts["created"] += 1
        if last and cursor and cursor != source.updated_after:
            FeedbackImportSource.objects.filter(pk=source.pk).update(
                updated_after=cursor
            )
    # Counted only once the page is stored.
    report.pages += 1
    report.created += counts["created"]
    report.updated += counts["updated"]
    report.unchanged += counts["unchanged"]
    report.unknown_codes.update(unknown)
    report.invalid += len(problems)
    room = REPORTED_PROBLEMS - len(report.problems)
    report.problems += problems[: max(room, 0)]
    return cursor


@transaction.atomic
def source_register(
    *,
    base_url: str,
    city: City | None = None,
    name: str = "",
    licence: str = "",
    trusted: bool | None = None,
    service_map: dict[str, str] | None = None,
    fallback_code: str | None = None,
) -> FeedbackImportSource:
    """The source at `base_url`, created (needs `city`) or changed as given;
    `service_map` is added to the source's mapping. Refuses with `Invalid`."""
    source = FeedbackImportSource.objects.select_for_update().filter(
        base_url=base_url
    ).first() or FeedbackImportSource(base_url=base_url)
    if source.pk is None:
        if city is None:
            raise Invalid(_("A new source needs a city (--city)."), field="city")
        source.city = city
        source.name = name or urlsplit(base_url).hostname or base_url
    elif city is not None and city.pk != source.city_id:
        raise Invalid(_("This source belongs to another city."), field="city")
    if licence:
        source.licence = licence
    if trusted is not None:
        source.trusted = trusted
    if service_map:
        current = source.service_map if isinstance(source.service_map, dict) else {}
        source.service_map = {**current, **service_map}
    if fallback_code is not None:
        source.fallback_service = FeedbackService.objects.filter(
            city_id=source.city_id, service_code=fallback_code
        ).first()
        if source.fallback_service is None:
            raise Invalid(
                _("Not a service of this city: %s") % fallback_code, field="fallback"
            )
    try:
        source.full_clean()
    except ValidationError as error:
        raise Invalid(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        ) from error
    source.save()
    return source


def source_import(
    *,
    source: FeedbackImportSource,
    limits: client.Limits | None = None,
    from_start: bool = False,
) -> ImportReport:
    """Pull the source's feedback updated since its cursor; the run's report,
    also kept on the source (`last_run_*`). Never raises for the server's faults."""
    limits = limits or limits_from_settings()
    report = ImportReport(source=source.name)
    params = {"extensions": "true", "page_size": str(PAGE_SIZE)}
    cursor = None if from_start else source.updated_after
    if cursor:
        params["updated_after"] = cursor.astimezone(datetime.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
    url: str | None = client.requests_url(source.base_url, params)
    seen: set[str] = set()
    try:
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise client.FetchError(
                    f"Stopped after {len(seen)} pages: the next-page links repeat "
                    "or never end."
                )
            seen.add(url)
            page = client.fetch_page(url, limits)
            last = page.next_url is None
            if last and len(page.records) >= PAGE_SIZE:
                report.warnings.append(
                    f"The last page had {len(page.records)} records and no link to "
                    "a next page; the server may have more than it sent."
                )
            cursor = _page_store(
                source=source,
                records=page.records,
                report=report,
                cursor=cursor,
                last=last,
            )
            url = page.next_url
    except client.FetchError as error:
        report.error = str(error)
    except DatabaseError as error:  # the page's transaction rolled back whole
        report.error = f"Storing a page failed: {error}"
    except Exception as error:  # noqa: BLE001 - one source never stops the others
        report.error = f"The import stopped: {type(error).__name__}: {error}"[:500]
    FeedbackImportSource.objects.filter(pk=source.pk).update(
        last_run_at=timezone.now(),
        last_run_ok=report.ok,
        last_run_report=report.summary()[:10000],
    )
    return report
