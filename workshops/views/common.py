"""What the workshop pages share: the facilitator check, the board lookup, the
per-facilitator limit on dream writes, the join QR code of the printed pages."""

import segno
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from core.ratelimit import limit_exceeded
from workshops import services
from workshops.models import Board, Workshop

# Join attempts per address and workshop code a minute: a room of 30 behind one
# venue address joins (with a few retries) within the first minute.
JOIN_LIMIT = 60
JOIN_WINDOW = 60
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


def join_qr(request, workshop: Workshop) -> tuple[str, SafeString]:
    """The workshop's join address and its QR code as inline SVG, for the join
    sheet and the printable kit."""
    url = request.build_absolute_uri(
        reverse("workshops:join_code", args=[workshop.join_code])
    )
    # segno writes the SVG itself from the URL; nothing user-typed goes into it.
    qr = segno.make(url, error="m").svg_inline(scale=8, title=url, omitsize=True)
    return url, mark_safe(qr)  # noqa: S308
