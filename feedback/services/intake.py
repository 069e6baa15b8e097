"""Residents give feedback and withdraw it.

`feedback_submit` checks everything first (text, place, district, contact, photos,
rate limits) and only then writes, in one transaction: the item, its first step
of the handling trail ("received"), its photos and the receipt e-mail in the
outbox. The follow-up link's token is returned once and only its hash is stored,
so not even a database dump can open a sender's follow-up page.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import NamedTuple

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import role_holder_ids
from core import searchables
from core.actors import Actor
from core.errors import Forbidden, Invalid, clean_field, invalid_fields
from core.http import absolute_url
from core.locking import lock_row
from core.mail import outbox_kick
from core.models import District, OutgoingMail
from core.ratelimit import check_rate
from core.sanitize import clean_text
from feedback.models import (
    ADDRESS_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Channel,
    FeedbackItem,
    FeedbackService,
    Kind,
    Status,
    Visibility,
    tracking_token_hash,
    tracking_token_new,
)
from feedback.photos import photos_clean, photos_store
from feedback.registrations import NEW_KIND
from feedback.rules import is_sender
from feedback.selectors import item_by_token  # noqa: F401 - older import path
from feedback.services.common import (
    held_reason_for,
    history_add,
    public_point,
    search_terms,
    visibility_for,
)
from notifications.services import follow_default, notify

__all__ = ["Submitted", "feedback_submit", "feedback_withdraw"]

# Feedback one person (or one anonymous visitor) and one address may send an hour;
# a library's or a school's shared address gets more.
SUBMITS_PER_ACTOR_PER_HOUR = 10
SUBMITS_PER_IP_PER_HOUR = 30
TITLE_MIN_LENGTH = 3
DESCRIPTION_MIN_LENGTH = 10
NAME_MAX_LENGTH = 100
PHONE_MAX_LENGTH = 40


class Submitted(NamedTuple):
    """The new item and its follow-up token (shown to the sender once)."""

    item: FeedbackItem
    token: str


def _point(
    errors: dict[str, tuple[str, str]], lat, long
) -> tuple[float | None, float | None]:
    """Both coordinates or neither, each a number in range."""
    if lat in (None, "") and long in (None, ""):
        return None, None
    if lat in (None, "") or long in (None, ""):
        errors["lat"] = (
            _("A place on the map needs both latitude and longitude."),
            "point_incomplete",
        )
        return None, None
    try:
        lat, long = float(lat), float(long)
    except (TypeError, ValueError):
        errors["lat"] = (_("The place on the map is not valid."), "point_invalid")
        return None, None
    if not (-90 <= lat <= 90 and -180 <= long <= 180) or lat != lat or long != long:
        errors["lat"] = (_("The place on the map is out of range."), "point_range")
        return None, None
    return lat, long


def track_url(token: str) -> str:
    return reverse("feedback:track", kwargs={"token": token})


def _receipt_queue(item: FeedbackItem, token: str) -> None:
    """The receipt with the follow-up link, in the sender's language, via the outbox."""
    with translation.override(item.language or settings.LANGUAGE_CODE):
        body = render_to_string(
            "feedback/email/receipt.txt",
            {
                "item": item,
                "service_name": item.service.name,
                "url": absolute_url(track_url(token)),
            },
        )
    subject, _sep, text = body.strip().partition("\n")
    OutgoingMail.objects.create(
        to_email=item.email, subject=subject.strip(), body=text.strip()
    )
    transaction.on_commit(outbox_kick)


def feedback_submit(
    *,
    actor: Actor,
    service: FeedbackService,
    kind: str,
    title: str,
    description: str,
    language: str,
    channel: str = Channel.WEB,
    address: str = "",
    lat: float | None = None,
    long: float | None = None,
    district: District | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    photos: Iterable = (),
    requested_at: datetime.datetime | None = None,
) -> Submitted:
    """Give feedback on `service` as `actor` (a user, an anonymous visitor or an
    API client with no person behind it). Writes nothing when it refuses."""
    if not rules.test_rule("feedback.give_feedback", actor, service):
        raise Forbidden(_("This service does not take feedback now."))
    errors: dict[str, tuple[str, str]] = {}
    if kind not in Kind.values:
        errors["kind"] = (_("Choose the kind of feedback."), "invalid")
    title = clean_field(
        errors,
        "title",
        title,
        max_length=TITLE_MAX_LENGTH,
        min_length=TITLE_MIN_LENGTH,
        multiline=False,
    )
    description = clean_field(
        errors,
        "description",
        description,
        max_length=DESCRIPTION_MAX_LENGTH,
        min_length=DESCRIPTION_MIN_LENGTH,
    )
    if language not in dict(settings.LANGUAGES):
        errors["language"] = (_("Choose a language."), "invalid")
    if channel not in Channel.values:
        errors["channel"] = (_("Unknown channel."), "invalid")
    address = clean_field(
        errors,
        "address",
        address,
        max_length=ADDRESS_MAX_LENGTH,
        multiline=False,
        required=False,
    )
    lat, long = _point(errors, lat, long)
    if district is not None and district.city_id != service.city_id:
        errors["district"] = (
            _("Choose a district of the service's city."),
            "invalid",
        )
    email = clean_text(email, multiline=False)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = (_("Enter a valid e-mail address."), "invalid")
    first_name = clean_field(
        errors,
        "first_name",
        first_name,
        max_length=NAME_MAX_LENGTH,
        multiline=False,
        required=False,
    )
    last_name = clean_field(
        errors,
        "last_name",
        last_name,
        max_length=NAME_MAX_LENGTH,
        multiline=False,
        required=False,
    )
    phone = clean_field(
        errors,
        "phone",
        phone,
        max_length=PHONE_MAX_LENGTH,
        multiline=False,
        required=False,
    )
    clean_photos = []
    try:
        clean_photos = photos_clean(photos)
    except Invalid as error:
        errors["photos"] = (error.messages[0], error.code)
    if errors:
        raise invalid_fields(errors)
    message = _("You have sent a lot of feedback in a short while. Try again later.")
    if actor.identity:
        check_rate(
            f"feedback-submit:{actor.identity}",
            limit=SUBMITS_PER_ACTOR_PER_HOUR,
            message=message,
        )
    if actor.ip:
        check_rate(
            f"feedback-submit-ip:{actor.ip}",
            limit=SUBMITS_PER_IP_PER_HOUR,
            message=message,
        )

    held = held_reason_for(service, title, description, address)
    visibility = visibility_for(held)
    now = timezone.now()
    public_lat, public_long = public_point(lat, long, confirmed=False)
    token = tracking_token_new()
    with transaction.atomic():
        item = FeedbackItem(
            city_id=service.city_id,
            service=service,
            kind=kind,
            title=title,
            description=description,
            public_title=title,
            public_description=description,
            language=language,
            district=district,
            channel=channel,
            address=address,
            lat=lat,
            long=long,
            public_lat=public_lat,
            public_long=public_long,
            status=Status.RECEIVED,
            visibility=visibility,
            held_reason=held,
            agency_id=service.agency_id,
            requested_at=requested_at or now,
            published_at=now if visibility == Visibility.PUBLIC else None,
            **actor.owner_fields(user_field="author"),
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            tracking_token_hash=tracking_token_hash(token),
        )
        item.search_terms = search_terms(item)
        item.save(force_insert=True)
        history_add(
            item,
            status=Status.RECEIVED,
            user=actor.user if actor.is_registered else None,
            at=item.requested_at,
        )
        photos_store(item, clean_photos)
        if email:
            _receipt_queue(item, token)
        if actor.is_registered:
            # A signed-in sender follows their feedback (a daily digest unless
            # chosen); its notifications tell only of public steps.
            follow_default(user=actor.user, target=item)
        handlers = role_holder_ids(item.city_id, Role.FEEDBACK_HANDLER)
        if handlers:  # the city's handlers: a new item in their queue
            notify(kind=NEW_KIND, target=item, recipients=handlers)
    searchables.reindex_on_commit("feedback", item.pk)
    return Submitted(item, token)


@transaction.atomic
def feedback_withdraw(
    *, item: FeedbackItem, actor: Actor | None = None, token: str | None = None
) -> FeedbackItem:
    """Withdraw `item` by its follow-up token's holder or its signed-in sender: it
    leaves every public place (`FeedbackItem.objects.public()`) at once."""
    item = lock_row(FeedbackItem, item.pk)
    if item is None:
        raise Invalid(_("That feedback no longer exists."), code="gone")
    holds_token = bool(token) and secrets.compare_digest(
        tracking_token_hash(token), item.tracking_token_hash
    )
    if not holds_token and not (actor is not None and is_sender(actor, item)):
        raise Forbidden(_("Only the sender can withdraw this feedback."))
    if item.withdrawn_at is not None:
        raise Invalid(_("This feedback was already withdrawn."), code="withdrawn")
    if item.status == Status.DONE:
        raise Invalid(_("Handled feedback can no longer be withdrawn."), code="handled")
    # The signed-in sender through the named rule (the token was checked above).
    if not holds_token and not rules.test_rule("feedback.withdraw_item", actor, item):
        raise Forbidden(_("Only the sender can withdraw this feedback."))
    item.withdrawn_at = timezone.now()
    item.save(update_fields=["withdrawn_at", "updated_at"])
    # The trail is read in the sender's language, like the item itself.
    with translation.override(item.language or settings.LANGUAGE_CODE):
        note = _("Withdrawn by the sender.")
    history_add(
        item,
        status=item.status,
        note=note,
        user=actor.user if actor is not None and actor.is_registered else None,
        at=item.withdrawn_at,
    )
    searchables.reindex_on_commit("feedback", item.pk)
    return item
