"""Demo feedback for `manage.py load_demo`: agencies and services in subject areas
for both cities, and about twenty items in Finnish, Swedish and English in every
status and kind, with answers and handling trails, a few held for a check, one
private, one redacted and one merged duplicate.

The items go through the real services (`feedback_submit`, then the handlers'
`status_change`, `answer_give`, …) as the demo handler, so they look exactly as
feedback given on the site would. An item is found again by its city and original
title: running the demo twice adds nothing.

One public item's follow-up link has a known token (`demo_tracking_token`,
derived from the secret key, so it is not guessable elsewhere), printed in the
demo report and used by the browser tests.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from math import cos, radians

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.actors import Actor
from core.models import City, District
from feedback.demo_data import (
    AGENCIES,
    CITY_CENTRE,
    CITY_PREFIX,
    ITEMS,
    NOTES,
    SERVICES,
)
from feedback.models import (
    Agency,
    FeedbackItem,
    FeedbackService,
    FeedbackSupport,
    Publication,
    tracking_token_hash,
)
from feedback.services import handling
from feedback.services.intake import feedback_submit, track_url

DEMO_NAMESPACE = uuid.UUID("0b7e3f5c-8d1a-4f6e-9a2b-5c4d3e2f1a60")
KM_PER_DEGREE = 111.32


def demo_tracking_token() -> str:
    """The follow-up token of the demo's tracked item (stable for one secret key)."""
    return salted_hmac("palvelupaja.feedback.demo", "track").hexdigest()[:32]


def demo_tracked_item() -> FeedbackItem | None:
    return FeedbackItem.objects.filter(
        tracking_token_hash=tracking_token_hash(demo_tracking_token())
    ).first()


def _key(label: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, label)


def _agencies(city: City) -> dict[str, Agency]:
    agencies = {}
    for key, fi, sv, en in AGENCIES:
        agencies[key], _ = Agency.objects.get_or_create(
            city=city, name_fi=fi, defaults={"name_sv": sv, "name_en": en}
        )
    return agencies


def _services(city: City, agencies: dict[str, Agency]) -> dict[str, FeedbackService]:
    prefix = CITY_PREFIX[city.slug]
    services = {}
    for order, (suffix, agency, names, texts, groups, checked) in enumerate(SERVICES):
        services[suffix], _ = FeedbackService.objects.get_or_create(
            service_code=f"{prefix}-{suffix}",
            defaults={
                "city": city,
                "order": order,
                "agency": agencies[agency],
                "publication": (
                    Publication.AFTER_CHECK if checked else Publication.IMMEDIATE
                ),
                "keywords": suffix.replace("-", " "),
                **{
                    f"{field}_{code}": value
                    for field, values in (
                        ("name", names),
                        ("description", texts),
                        ("group", groups),
                    )
                    for code, value in zip(("fi", "sv", "en"), values, strict=True)
                },
            },
        )
    return services


def _point(city: City, offset: tuple[float, float]) -> tuple[float, float]:
    """A point `offset` (north, east) kilometres from the city's centre."""
    lat, long = CITY_CENTRE[city.slug]
    north, east = offset
    return (
        round(lat + north / KM_PER_DEGREE, 6),
        round(long + east / (KM_PER_DEGREE * cos(radians(lat))), 6),
    )


def _item(spec: dict, city: City, services, handler, made: dict) -> FeedbackItem:
    """Submit one item and handle it as the spec says."""
    now = timezone.now()
    sent = now - timedelta(days=spec["days"], hours=len(spec["key"]) % 7)
    lat = long = None
    address = ""
    if spec.get("place"):
        offset, address = spec["place"]
        lat, long = _point(city, offset)
    district = District.objects.filter(city=city, slug=spec.get("district")).first()
    submitted = feedback_submit(
        # A sender of its own each (anonymous, no address: no e-mail goes out),
        # so the senders' rate limits never refuse the demo.
        actor=Actor(anonymous_key=_key(f"sender-{spec['key']}")),
        service=services[spec["service"]],
        kind=spec["kind"],
        title=spec["title"],
        description=spec["text"],
        language=spec["language"],
        address=address,
        lat=lat,
        long=long,
        district=district,
        requested_at=sent,
    )
    item = submitted.item
    extra = spec.get("extra", [])
    if "redact" in extra:
        title, text = spec["redacted"]
        handling.item_redact(
            item=item, user=handler, public_title=title, public_description=text
        )
    if "publish" in extra:
        handling.item_publish(item=item, user=handler)
    if "private" in extra:
        handling.item_make_private(item=item, user=handler)
    # The handling trail, a day or two apart after it was sent.
    language = spec["language"]
    for n, (status, note, internal) in enumerate(spec.get("steps", [])):
        at = min(sent + timedelta(days=n + 1, hours=3), now)
        if note is None:
            note = NOTES[status][language]
            if status == "allocated" and item.agency_id:
                agency = item.agency
                note += f": {getattr(agency, f'name_{language}') or agency.name_fi}."
        handling.status_change(
            item=item, user=handler, status=status, note=note, internal=internal, at=at
        )
    if spec.get("answer"):
        at = min(sent + timedelta(days=len(spec.get("steps", [])) + 1), now)
        handling.answer_give(item=item, user=handler, answer=spec["answer"], at=at)
    if "confirm_place" in extra:
        handling.place_confirm(item=item, user=handler)
    for target in (e.split(":", 1)[1] for e in extra if e.startswith("merge:")):
        if target in made:
            handling.items_merge(duplicate=item, into=made[target], user=handler)
    supports = [
        FeedbackSupport(item=item, anonymous_key=_key(f"{spec['key']}-me-too-{n}"))
        for n in range(spec.get("supports", 0))
    ]
    FeedbackSupport.objects.bulk_create(supports)
    if supports:
        FeedbackItem.objects.filter(pk=item.pk).update(
            support_count=FeedbackSupport.objects.filter(item=item).count()
        )
    if spec.get("tracked"):
        FeedbackItem.objects.filter(pk=item.pk).update(
            tracking_token_hash=tracking_token_hash(demo_tracking_token())
        )
    return item


@transaction.atomic
def load(*, cities, city_pages, users, stdout) -> None:
    handler = users.get("feedback_handler")
    if handler is None:
        return
    services = {}
    for slug, city in cities.items():
        if slug in CITY_PREFIX:
            services[slug] = _services(city, _agencies(city))
    made: dict[str, FeedbackItem] = {}
    created = 0
    for spec in ITEMS:
        city = cities.get(spec["city"])
        if city is None:
            continue
        existing = FeedbackItem.objects.filter(city=city, title=spec["title"]).first()
        if existing is not None:
            made[spec["key"]] = existing
            continue
        made[spec["key"]] = _item(spec, city, services[spec["city"]], handler, made)
        created += 1
    stdout.write(f"feedback: {created} demo items added")
    tracked = demo_tracked_item()
    if tracked is not None:
        stdout.write(
            f"feedback: demo item {tracked.pk}, follow-up link "
            f"{track_url(demo_tracking_token())}"
        )
