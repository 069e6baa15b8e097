"""Saying "me too" about a public item, and the item's comment thread."""

from __future__ import annotations

import rules
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.actors import Actor
from core.errors import Conflict, Forbidden, Invalid
from core.locking import lock_row
from core.ratelimit import check_rate
from discussions.models import Discussion
from discussions.services import discussion_for
from feedback.models import FeedbackItem, FeedbackSupport

SUPPORTS_PER_PERSON_PER_HOUR = 100
SUPPORTS_PER_IP_PER_HOUR = 300


@transaction.atomic
def item_support(*, item: FeedbackItem, actor: Actor) -> bool:
    """Say "me too" about `item` once; True when a new support was recorded.

    Supporting twice is a no-op (False). Anonymous visitors support through
    their one session key (`core.actors`); who may is `feedback.support_item`.
    """
    if not actor.is_registered and actor.anonymous_key is None:
        raise Forbidden(_("Your browser did not keep a session."), code="no_session")
    # Locked and read again: it may have been hidden or merged since the page
    # was shown.
    current = lock_row(FeedbackItem, item.pk)
    if current is None or not current.is_public:
        raise Invalid(_("That feedback is no longer public."), code="not_found")
    if not rules.test_rule("feedback.support_item", actor, current):
        raise Conflict(
            _("This feedback was merged into another; support that one."),
            code="merged",
        )
    check_rate(f"feedback-support:{actor.identity}", limit=SUPPORTS_PER_PERSON_PER_HOUR)
    if actor.ip:
        check_rate(f"feedback-support-ip:{actor.ip}", limit=SUPPORTS_PER_IP_PER_HOUR)
    try:
        # The unique constraints decide races; the savepoint keeps the outer
        # transaction usable when a concurrent request won.
        with transaction.atomic():
            FeedbackSupport.objects.create(item_id=current.pk, **actor.owner_fields())
    except IntegrityError:
        return False
    FeedbackItem.objects.filter(pk=current.pk).update(
        support_count=F("support_count") + 1
    )
    return True


@transaction.atomic
def item_support_withdraw(*, item: FeedbackItem, actor: Actor) -> bool:
    """Take back one's "me too"; True when there was one."""
    own = actor.owner_filter()
    if own is None:
        return False
    supports = FeedbackSupport.objects.filter(item_id=item.pk, **own)
    current = lock_row(FeedbackItem, item.pk)
    if current is None:
        return False
    deleted, _details = supports.delete()
    if deleted:
        FeedbackItem.objects.filter(pk=current.pk).update(
            support_count=F("support_count") - deleted
        )
    return bool(deleted)


@transaction.atomic
def item_discussion(*, item: FeedbackItem) -> Discussion:
    """The public item's comment thread, made on first use (on the first comment:
    pages only read it). Anonymous visitors may comment, as they may give and
    support feedback; the city's moderators look after it.

    The thread's title is the item's number, not its title: a handler may redact
    the public title later, and the thread's copy (shown in the moderation queue,
    activity and notifications) would keep the words removed."""
    if not item.is_public or item.merged_into_id is not None:
        raise Invalid(_("That feedback takes no comments."), code="not_public")
    return discussion_for(
        item,
        city=item.city,
        title=_("Feedback #%(number)s") % {"number": item.pk},
        url=item.get_absolute_url(),
        allow_anonymous=True,
    )
