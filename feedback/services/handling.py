"""What a city's feedback handlers do to an item: status, answer, assignment,
publication, redaction, the exact place and merging duplicates.

Each function asks `feedback.handle_item` for the item as it is once locked
(`core.locking`), runs in one transaction and refuses with a `core.errors` error
having written nothing. Followers hear of public changes through the notification
registry and the sender by e-mail (`feedback.services.notices`); an internal note
tells nobody.
"""

from __future__ import annotations

import datetime

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import searchables
from core.errors import Conflict, Forbidden, Invalid
from core.locking import lock_row, lock_rows
from core.personal_identifiers import contains_personal_identifier
from core.sanitize import clean_text
from core.supports import supports_move
from feedback.models import (
    ANSWER_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Agency,
    FeedbackItem,
    FeedbackPhoto,
    FeedbackStatusChange,
    FeedbackSupport,
    HeldReason,
    Status,
    Visibility,
)
from feedback.services import notices
from feedback.services.common import (
    closed_at_for,
    history_add,
    public_point,
    search_terms_refresh,
)

__all__ = [
    "KEEP",
    "answer_give",
    "item_assign",
    "item_make_private",
    "item_publish",
    "item_redact",
    "items_merge",
    "photo_review",
    "place_confirm",
    "status_change",
]


class _Keep:
    """`item_assign`'s default: leave this field as it is (None clears it)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


def _refuse() -> Forbidden:
    return Forbidden(_("Only the city's feedback handlers can do that."))


def _locked(item: FeedbackItem, user) -> FeedbackItem:
    """The item's row, locked and fresh, once `user` may handle it."""
    locked = lock_row(FeedbackItem, item.pk)
    if locked is None:
        raise Invalid(_("That feedback no longer exists."), code="not_found")
    if not rules.has_perm("feedback.handle_item", user, locked):
        raise _refuse()
    return locked


def _sync(item: FeedbackItem, locked: FeedbackItem) -> None:
    """Give the caller's object the values now stored; the site search rereads
    the item after commit (every handling service ends here)."""
    item.__dict__.update(
        {f.attname: getattr(locked, f.attname) for f in locked._meta.concrete_fields}
    )
    searchables.reindex_on_commit("feedback", locked.pk)


def _text(value: str, *, field: str, limit: int, multiline: bool = True) -> str:
    text = clean_text(value, multiline=multiline)
    if len(text) > limit:
        raise Invalid(
            _("Please keep this under %(n)d characters.") % {"n": limit},
            field=field,
            code="too_long",
        )
    return text


def _step(
    locked: FeedbackItem, *, user, status: str, note: str, internal: bool, at
) -> FeedbackStatusChange:
    """Move the locked item to `status`, record the step and tell who may know."""
    locked.status = status
    locked.closed_at = closed_at_for(status, locked.closed_at)
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    change = history_add(
        locked, status=status, note=note, internal=internal, user=user, at=at
    )
    if not internal:
        notices.status_changed(locked, change, actor=user)
    return change


@transaction.atomic
def status_change(
    *,
    item: FeedbackItem,
    user,
    status: str,
    note: str = "",
    internal: bool = False,
    at: datetime.datetime | None = None,
) -> FeedbackStatusChange:
    """Move `item` to `status` with an optional note; one history row, public
    unless `internal`. The same status again records the note alone."""
    if status not in Status.values:
        raise Invalid(_("Choose a status."), field="status", code="invalid")
    note = _text(note, field="note", limit=NOTE_MAX_LENGTH)
    locked = _locked(item, user)
    if locked.merged_into_id is not None:
        raise Conflict(
            _("This feedback was merged into another; handle that one."),
            code="merged",
        )
    if status == locked.status and not note:
        raise Conflict(
            _("The feedback already has this status; add a note to record one."),
            field="status",
            code="unchanged",
        )
    change = _step(
        locked, user=user, status=status, note=note, internal=internal, at=at
    )
    _sync(item, locked)
    return change


@transaction.atomic
def answer_give(
    *, item: FeedbackItem, user, answer: str, at: datetime.datetime | None = None
) -> FeedbackItem:
    """Write (or correct) the city's public answer; the sender and followers hear."""
    answer = _text(answer, field="answer", limit=ANSWER_MAX_LENGTH)
    if not answer:
        raise Invalid(_("Write the answer."), field="answer", code="required")
    if contains_personal_identifier(answer):
        raise Invalid(
            _("The answer seems to contain personal data; leave it out."),
            field="answer",
            code="personal_data",
        )
    locked = _locked(item, user)
    locked.answer = answer
    locked.answered_at = at or timezone.now()
    locked.answered_by = user
    locked.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    search_terms_refresh(locked)
    notices.answered(locked, actor=user)
    _sync(item, locked)
    return locked


@transaction.atomic
def item_assign(
    *,
    item: FeedbackItem,
    user,
    agency: Agency | None | _Keep = KEEP,
    assignee=KEEP,
    expected_at: datetime.datetime | None | _Keep = KEEP,
) -> FeedbackItem:
    """Set the agency, the handler and the expected date (None clears, KEEP keeps).

    Feedback still "received" that gets an agency becomes "allocated" (a public
    step of the trail, as in 6Aika's `request_history`)."""
    locked = _locked(item, user)
    fields = []
    if agency is not KEEP:
        if agency is not None and agency.city_id != locked.city_id:
            raise Invalid(
                _("Choose an agency of the feedback's city."),
                field="agency",
                code="other_city",
            )
        locked.agency = agency
        fields.append("agency")
    if assignee is not KEEP:
        if assignee is not None and not rules.has_perm(
            "feedback.handle_item", assignee, locked
        ):
            raise Invalid(
                _("Choose a feedback handler of the feedback's city."),
                field="assignee",
                code="not_handler",
            )
        locked.assigned_to = assignee
        fields.append("assigned_to")
    if expected_at is not KEEP:
        locked.expected_at = expected_at
        fields.append("expected_at")
    if fields:
        locked.save(update_fields=[*fields, "updated_at"])
    if (
        agency not in (KEEP, None)
        and locked.status == Status.RECEIVED
        and locked.merged_into_id is None
    ):
        _step(
            locked,
            user=user,
            status=Status.ALLOCATED,
            note=_("Allocated to %(agency)s.") % {"agency": agency.name},
            internal=False,
            at=None,
        )
    _sync(item, locked)
    return locked


@transaction.atomic
def item_publish(*, item: FeedbackItem, user) -> FeedbackItem:
    """Make the item public (after a check): its public text becomes searchable."""
    locked = _locked(item, user)
    if locked.withdrawn_at is not None:
        raise Conflict(
            _("The sender withdrew this feedback; it cannot be published."),
            code="withdrawn",
        )
    if contains_personal_identifier(
        locked.public_title, locked.public_description, locked.answer
    ):
        raise Invalid(
            _(
                "The public text seems to contain personal data. Redact it before "
                "publishing."
            ),
            code="personal_data",
        )
    locked.visibility = Visibility.PUBLIC
    locked.held_reason = HeldReason.NONE
    locked.published_at = locked.published_at or timezone.now()
    locked.save(
        update_fields=["visibility", "held_reason", "published_at", "updated_at"]
    )
    search_terms_refresh(locked)
    _sync(item, locked)
    return locked


@transaction.atomic
def item_make_private(*, item: FeedbackItem, user) -> FeedbackItem:
    """Keep the item to the handlers and its sender (off every public page)."""
    locked = _locked(item, user)
    locked.visibility = Visibility.PRIVATE
    locked.held_reason = HeldReason.NONE
    locked.save(update_fields=["visibility", "held_reason", "updated_at"])
    _sync(item, locked)
    return locked


@transaction.atomic
def item_redact(
    *, item: FeedbackItem, user, public_title: str, public_description: str
) -> FeedbackItem:
    """Replace the public text; the sender's original stays, privately."""
    title = _text(
        public_title, field="public_title", limit=TITLE_MAX_LENGTH, multiline=False
    )
    description = _text(
        public_description, field="public_description", limit=DESCRIPTION_MAX_LENGTH
    )
    if not title:
        raise Invalid(_("Write the public title."), field="public_title")
    if not description:
        raise Invalid(_("Write the public text."), field="public_description")
    for field, text in (("public_title", title), ("public_description", description)):
        if contains_personal_identifier(text):
            raise Invalid(
                _("This still seems to contain personal data."),
                field=field,
                code="personal_data",
            )
    locked = _locked(item, user)
    locked.public_title = title
    locked.public_description = description
    locked.is_redacted = (title, description) != (locked.title, locked.description)
    locked.save(
        update_fields=[
            "public_title",
            "public_description",
            "is_redacted",
            "updated_at",
        ]
    )
    search_terms_refresh(locked)
    _sync(item, locked)
    return locked


@transaction.atomic
def place_confirm(*, item: FeedbackItem, user) -> FeedbackItem:
    """Publish the exact point and the address: the handler saw they reveal no home."""
    locked = _locked(item, user)
    if locked.lat is None or locked.long is None:
        if not locked.address:
            raise Invalid(_("This feedback has no place."), code="no_place")
    locked.place_confirmed = True
    locked.public_lat, locked.public_long = public_point(
        locked.lat, locked.long, confirmed=True
    )
    locked.save(
        update_fields=["place_confirmed", "public_lat", "public_long", "updated_at"]
    )
    _sync(item, locked)
    return locked


@transaction.atomic
def photo_review(*, photo: FeedbackPhoto, user, approve: bool) -> FeedbackPhoto | None:
    """Approve a photo (public with its public item), or reject it: a rejected
    photo (a face, a licence plate, a house number) is deleted with its file."""
    _locked(photo.item, user)
    fresh = FeedbackPhoto.objects.filter(pk=photo.pk).first()
    if fresh is None:
        raise Invalid(_("That photo no longer exists."), code="not_found")
    if approve:
        fresh.approved = True
        fresh.save(update_fields=["approved"])
        FeedbackItem.objects.filter(pk=fresh.item_id).update(updated_at=timezone.now())
        return fresh
    storage, name = fresh.image.storage, fresh.image.name
    fresh.delete()
    FeedbackItem.objects.filter(pk=fresh.item_id).update(updated_at=timezone.now())
    # The file goes only once the row's deletion is committed.
    transaction.on_commit(lambda: storage.delete(name))
    return None


@transaction.atomic
def items_merge(*, duplicate: FeedbackItem, into: FeedbackItem, user) -> FeedbackItem:
    """Merge `duplicate` into `into` (the one that stays); returns it updated.

    The duplicate's supports and followers move over (each person once), items
    merged into the duplicate earlier now point at `into`, and the duplicate is
    done with a public note pointing at the other."""
    if duplicate.pk == into.pk:
        raise Invalid(
            _("Feedback cannot be merged into itself."), field="into", code="self"
        )
    # Both rows, in key order so two merges cannot deadlock.
    locked = lock_rows(FeedbackItem, [duplicate.pk, into.pk])
    if len(locked) != 2:
        raise Invalid(_("That feedback no longer exists."), code="not_found")
    src, dst = locked[duplicate.pk], locked[into.pk]
    for one in (src, dst):
        if not rules.has_perm("feedback.handle_item", user, one):
            raise _refuse()
    if src.city_id != dst.city_id:
        raise Invalid(
            _("Feedback can only be merged with feedback of the same city."),
            field="into",
            code="other_city",
        )
    if src.merged_into_id is not None:
        raise Conflict(_("This feedback has already been merged."), code="merged")
    if dst.merged_into_id is not None:
        raise Conflict(
            _("Feedback cannot be merged into feedback that was itself merged."),
            field="into",
            code="target_merged",
        )
    supports_move(FeedbackSupport, "item", src=src, dst=dst)
    FeedbackItem.objects.filter(merged_into=src).update(merged_into=dst)
    notices.followers_move(src, dst)
    dst.support_count = FeedbackSupport.objects.filter(item=dst).count()
    dst.save(update_fields=["support_count", "updated_at"])
    src.merged_into = dst
    src.support_count = 0
    src.save(update_fields=["merged_into", "support_count", "updated_at"])
    _step(
        src,
        user=user,
        status=Status.DONE,
        note=_("Merged into feedback #%(id)d.") % {"id": dst.pk},
        internal=False,
        at=None,
    )
    _sync(duplicate, src)
    _sync(into, dst)
    return dst
