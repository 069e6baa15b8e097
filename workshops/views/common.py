"""What the workshop pages share: the facilitator check, the board lookup, the
per-facilitator limit on dream writes."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from core.ratelimit import limit_exceeded
from workshops import services
from workshops.models import Board, Workshop

JOIN_LIMIT = 30  # join attempts per address in ten minutes
DREAM_WRITES_PER_HOUR = 60  # placements and card-to-dream turns per facilitator


def facilitated_workshop(request, pk: int) -> Workshop:
    """The workshop, when the user may run it; otherwise 403."""
    workshop = get_object_or_404(Workshop.objects.select_related("city"), pk=pk)
    if not services.workshop_is_facilitator(request.user, workshop):
        raise PermissionDenied
    return workshop


def board_of(workshop: Workshop, board_id: int) -> Board:
    return get_object_or_404(Board, pk=board_id, workshop=workshop)


def dream_rate_limited(request) -> bool:
    return limit_exceeded(
        f"workshops:dreams:{request.user.pk}",
        limit=DREAM_WRITES_PER_HOUR,
        window_seconds=3600,
    )
