"""Supporting a dream and withdrawing the support; the dreams' trending counts."""

from __future__ import annotations

import rules
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from core.actors import Actor
from core.errors import Conflict, Forbidden, Invalid
from core.locking import lock_row
from core.ratelimit import check_rate
from ideas.models import Dream, DreamSupport, trending_since
from ideas.rules import dream_is_closed, is_dream_author

SUPPORTS_PER_PERSON_PER_HOUR = 100
SUPPORTS_PER_IP_PER_HOUR = 300


@transaction.atomic
def dream_support(*, dream: Dream, participant: Actor, ip: str | None = None) -> bool:
    """Support `dream` once; True when a new support was recorded.

    Supporting twice is a no-op (False). Who may support is
    `ideas.support_dream`; a refusal says why (log in, own dream, closed).
    """
    if not participant.is_registered and participant.anonymous_key is None:
        raise Forbidden(_("Please log in to support dreams."), code="login_required")
    # Locked and read again: a merge or a status change may have closed it since
    # the page was shown.
    current = lock_row(Dream, dream.pk)
    if current is None:
        raise Invalid(_("That dream no longer exists."), code="not_found")
    if not rules.has_perm("ideas.support_dream", participant, current):
        if dream_is_closed(participant, current):
            raise Conflict(_("This dream takes no more supports."), code="closed")
        if is_dream_author(participant, current):
            raise Invalid(_("You cannot support your own dream."), code="own")
        raise Forbidden(_("Please log in to support dreams."), code="login_required")
    check_rate(
        f"dream-support:{participant.identity}", limit=SUPPORTS_PER_PERSON_PER_HOUR
    )
    if ip:
        check_rate(f"dream-support-ip:{ip}", limit=SUPPORTS_PER_IP_PER_HOUR)
    try:
        # The unique constraints decide races; the savepoint keeps the outer
        # transaction usable when a concurrent request won.
        with transaction.atomic():
            DreamSupport.objects.create(
                dream_id=current.pk, **participant.owner_fields()
            )
    except IntegrityError:
        return False
    Dream.objects.filter(pk=current.pk).update(
        support_count=F("support_count") + 1, trend=F("trend") + 1
    )
    return True


@transaction.atomic
def dream_support_withdraw(*, dream: Dream, participant: Actor) -> bool:
    """Withdraw one's support; True when there was one to withdraw."""
    own = participant.owner_filter()
    if own is None:
        return False
    supports = DreamSupport.objects.filter(dream_id=dream.pk, **own)
    # Only a support inside the window counts in `trend`; one that aged out has
    # left it already (or will with the next refresh, which recounts anyway).
    recent = supports.filter(created_at__gte=trending_since()).count()
    deleted, _details = supports.delete()
    if deleted:
        Dream.objects.filter(pk=dream.pk).update(
            support_count=F("support_count") - deleted,
            # Never below zero, even if the count lagged behind the window.
            trend=Greatest(F("trend") - recent, Value(0)),
        )
    return bool(deleted)


def dream_trend_count(*, dream: Dream) -> int:
    """The supports `dream` gathered in the trending window, counted."""
    return DreamSupport.objects.filter(
        dream_id=dream.pk, created_at__gte=trending_since()
    ).count()


@transaction.atomic
def dream_trends_refresh() -> int:
    """Recount every dream's `trend` for the window as it is now; the number of
    dreams whose count changed.

    Two UPDATE statements whatever the number of dreams, each writing only the
    rows whose count changed: the dreams whose supports all aged out go to zero,
    the dreams with supports in the window get them counted. Supports given
    while this runs add themselves (`dream_support` locks the dream row); one
    the recount misses is counted again within the hour.
    """
    since = trending_since()
    recent = DreamSupport.objects.filter(created_at__gte=since).values("dream_id")
    zeroed = Dream.objects.filter(trend__gt=0).exclude(pk__in=recent).update(trend=0)
    per_dream = (
        DreamSupport.objects.filter(dream=OuterRef("pk"), created_at__gte=since)
        .order_by()
        .values("dream")
        .annotate(n=Count("pk"))
        .values("n")
    )
    fresh = Coalesce(Subquery(per_dream), 0)
    counted = (
        Dream.objects.filter(pk__in=recent).filter(~Q(trend=fresh)).update(trend=fresh)
    )
    return zeroed + counted
