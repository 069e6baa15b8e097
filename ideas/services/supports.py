"""Supporting a dream and withdrawing the support."""

from __future__ import annotations

import rules
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.actors import Actor
from core.errors import Conflict, Forbidden, Invalid
from core.locking import lock_row
from ideas.models import Dream, DreamSupport
from ideas.rules import dream_is_closed, is_dream_author
from ideas.services.dreams import check_rate

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
                dream_id=current.pk,
                user=participant.user if participant.is_registered else None,
                anonymous_key=None
                if participant.is_registered
                else participant.anonymous_key,
            )
    except IntegrityError:
        return False
    Dream.objects.filter(pk=current.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def dream_support_withdraw(*, dream: Dream, participant: Actor) -> bool:
    """Withdraw one's support; True when there was one to withdraw."""
    if participant.is_registered:
        supports = DreamSupport.objects.filter(dream_id=dream.pk, user=participant.user)
    elif participant.anonymous_key is not None:
        supports = DreamSupport.objects.filter(
            dream_id=dream.pk, anonymous_key=participant.anonymous_key
        )
    else:
        return False
    deleted, _details = supports.delete()
    if deleted:
        Dream.objects.filter(pk=dream.pk).update(
            support_count=F("support_count") - deleted
        )
    return bool(deleted)
