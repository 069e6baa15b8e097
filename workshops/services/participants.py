"""People on a workshop: joining, the facilitator's own row, removal, board access."""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from core.locking import lock_row, lock_rows
from core.sanitize import clean_text
from notifications.services import follow_default
from workshops.models import Board, Joining, Participant, Workshop
from workshops.services.events import board_event_append

SESSION_KEY = "workshop_participants"


def workshop_is_facilitator(user, workshop: Workshop) -> bool:
    """The rule `workshops.run_workshop`: the city's or the workshop's facilitators."""
    return rules.has_perm("workshops.run_workshop", user, workshop)


def require_facilitator(user, workshop: Workshop) -> None:
    if not workshop_is_facilitator(user, workshop):
        raise Forbidden(_("Only the workshop's facilitators may do this."))


@transaction.atomic
def participant_join(
    *,
    workshop: Workshop,
    display_name: str,
    user=None,
    session_participant: int | None = None,
) -> Participant:
    """Join a workshop by its code; a logged-in user joins once and keeps their row.

    `session_participant` is the participant this browser joined as before (if
    any): removed, it bans the browser; still waiting for approval, it is the
    answer again. In a workshop that needs approval the new row is `pending`.
    """
    name = clean_text(display_name, multiline=False)[:60]
    if not name:
        raise Invalid(
            _("Tell the others your name."), field="display_name", code="empty"
        )
    # Lock the workshop row, then check on what is there now: two people cannot
    # both take the last place, and one user joining from two tabs at once gets
    # one row (the second finds the first's) instead of an IntegrityError.
    current = lock_row(Workshop, workshop.pk)
    if current is None:
        raise Invalid(_("No workshop has this code."), code="not_found")
    if current.is_closed:
        raise Invalid(_("This workshop has ended."), code="closed")
    earlier = []
    if user is not None and user.is_authenticated:
        earlier += current.participants.filter(user=user)
    if session_participant is not None:
        earlier += current.participants.filter(pk=session_participant)
    if any(p.removed_at is not None for p in earlier):
        raise Forbidden(_("You were removed from this workshop."), code="removed")
    if user is not None and user.is_authenticated:
        existing = next((p for p in earlier if p.user_id == user.pk), None)
        if existing is not None:
            existing.display_name = name
            existing.save(update_fields=["display_name", "updated_at"])
            return existing
    waiting = next((p for p in earlier if p.pending), None)
    if waiting is not None:  # asked again while waiting: still the same request
        return waiting
    if current.joining == Joining.CLOSED:
        raise Invalid(
            _("The facilitators have closed joining this workshop."),
            code="joining_closed",
        )
    _require_place(current)
    participant = Participant.objects.create(
        workshop=current,
        display_name=name,
        user=user if user is not None and user.is_authenticated else None,
        pending=current.joining == Joining.APPROVAL,
    )
    # Signed-in participants hear when the results are published.
    follow_default(user=participant.user, target=current)
    return participant


def _require_place(workshop: Workshop) -> None:
    """Refuse when the admitted participants fill the capacity (call locked)."""
    if workshop.capacity is not None:
        joined = workshop.participants.filter(
            removed_at__isnull=True, pending=False
        ).count()
        if joined >= workshop.capacity:
            raise Invalid(_("This workshop is full."), code="full")


def _require_manager(user, workshop: Workshop) -> None:
    if not rules.has_perm("workshops.manage_participants", user, workshop):
        raise Forbidden(_("Only the workshop's facilitators may do this."))


@transaction.atomic
def participant_readmit(*, user, participant: Participant) -> Participant:
    """Lift a removal: the participant (and their browser) may come back."""
    _require_manager(user, participant.workshop)
    current = lock_row(Participant, participant.pk)
    if current is None:
        raise Invalid(_("No such participant."), code="not_found")
    if current.removed_at is not None:
        current.removed_at = None
        current.save(update_fields=["removed_at", "updated_at"])
    return current


@transaction.atomic
def participant_admit(*, user, participant: Participant, admit: bool) -> Participant:
    """Approve (`admit`) or decline someone waiting to join. Declined is removed:
    they can be readmitted from the list of removed participants."""
    workshop = participant.workshop
    _require_manager(user, workshop)
    # The workshop first (as `participant_join` does), so the capacity holds.
    locked_workshop = lock_row(Workshop, workshop.pk)
    current = lock_row(Participant, participant.pk)
    if current is None or locked_workshop is None:
        raise Invalid(_("No such participant."), code="not_found")
    if not current.pending:
        return current  # decided already (by another facilitator, or twice)
    if admit:
        _require_place(locked_workshop)
    else:
        current.removed_at = timezone.now()
    current.pending = False
    current.save(update_fields=["pending", "removed_at", "updated_at"])
    return current


def participant_for_facilitator(*, workshop: Workshop, user) -> Participant:
    """The facilitator's own participant row on the workshop (created once)."""
    participant = workshop.participants.filter(user=user).first()
    if participant is not None:
        return participant
    try:
        with transaction.atomic():
            return Participant.objects.create(
                workshop=workshop,
                user=user,
                display_name=clean_text(user.display_name, multiline=False)[:60]
                or _("Facilitator"),
            )
    except IntegrityError:  # created meanwhile by another connection
        return workshop.participants.get(user=user)


@transaction.atomic
def participant_remove(*, user, participant: Participant) -> Participant:
    """Remove a participant: their sockets close and neither they, their browser
    nor their user account can rejoin until a facilitator readmits them."""
    workshop = participant.workshop
    _require_manager(user, workshop)
    boards = lock_rows(Board.objects.filter(workshop=workshop))
    current = lock_row(Participant, participant.pk)
    if current is not None and current.removed_at is None:
        current.removed_at = participant.removed_at = timezone.now()
        current.save(update_fields=["removed_at", "updated_at"])
        for board in boards.values():
            board_event_append(
                board=board,
                kind="participant.removed",
                payload={"participant": participant.pk},
            )
    return participant


# --- Board access ---------------------------------------------------------------


@dataclass(frozen=True)
class BoardAccess:
    """Who a connection or request is on a board (decided when it opened)."""

    board_id: int
    workshop_id: int
    participant_id: int
    display_name: str
    facilitator: bool
    # The room's screen (`?present=1`): it shows what every participant may see
    # and changes nothing, whoever's session opened it.
    presenter: bool = False

    @property
    def viewer_id(self) -> int | None:
        """Whose hidden cards this connection may read: nobody's on a presenter."""
        return None if self.presenter else self.participant_id


def session_participant_id(session, workshop_id: int) -> int | None:
    """The participant this browser joined the workshop as, if any."""
    mapping = session.get(SESSION_KEY, {}) if session is not None else {}
    value = mapping.get(str(workshop_id))
    return value if isinstance(value, int) else None


def session_participant_remember(session, participant: Participant) -> None:
    mapping = dict(session.get(SESSION_KEY, {}))
    mapping[str(participant.workshop_id)] = participant.pk
    session[SESSION_KEY] = mapping


def board_access(*, board: Board, user, session) -> BoardAccess | None:
    """Who this connection or request is on the board, or None (not a participant)."""
    workshop = board.workshop
    facilitator = workshop_is_facilitator(user, workshop)
    participant = None
    if facilitator:
        participant = participant_for_facilitator(workshop=workshop, user=user)
    else:
        if user is not None and user.is_authenticated:
            participant = workshop.participants.filter(user=user).first()
        if participant is None:
            pid = session_participant_id(session, workshop.pk)
            if pid is not None:
                participant = workshop.participants.filter(pk=pid).first()
    if participant is None or participant.removed_at is not None:
        return None
    if participant.pending:
        return None  # waiting for a facilitator to admit them
    return BoardAccess(
        board_id=board.pk,
        workshop_id=workshop.pk,
        participant_id=participant.pk,
        display_name=participant.display_name,
        facilitator=facilitator,
    )


def board_connect(*, board_id: int, user, session) -> BoardAccess | None:
    """`board_access` for a socket opening on `board_id` (None: refuse it)."""
    board = Board.objects.select_related("workshop").filter(pk=board_id).first()
    if board is None:
        return None
    return board_access(board=board, user=user, session=session)
