"""Following dreams through: status changes, merging duplicates, links onwards.

Each function locks the dreams it changes (`core.locking.lock_rows`) and decides
on the rows as they are once locked, with the named rules of `ideas.rules`.
"""

from __future__ import annotations

import rules
from django.db import transaction
from django.utils.translation import gettext as _

from core import searchables
from core.errors import Conflict, Forbidden, Invalid
from core.locking import lock_row, lock_rows
from core.sanitize import clean_text
from core.supports import supports_move
from core.text.analysis import LANGUAGES
from ideas.models import (
    ALLOWED_TRANSITIONS,
    REASON_MAX_LENGTH,
    REASON_REQUIRED,
    Dream,
    DreamLink,
    DreamLinkKind,
    DreamStatus,
    DreamStatusChange,
    DreamSupport,
)
from ideas.rules import DreamPair
from ideas.services.dreams import dream_search_terms_refresh
from ideas.services.notifications import status_mail_queue
from ideas.services.supports import dream_trend_count


def _refuse() -> Forbidden:
    return Forbidden(_("Only the city's facilitators and editors can do that."))


def _locked(dream: Dream) -> Dream:
    locked = lock_row(Dream, dream.pk)
    if locked is None:
        raise Invalid(_("That dream no longer exists."), code="not_found")
    return locked


def _record_change(
    *, dream: Dream, to_status: str, by, reason: str
) -> DreamStatusChange:
    change = DreamStatusChange.objects.create(
        dream=dream,
        from_status=dream.status,
        to_status=to_status,
        changed_by=by,
        reason=reason,
    )
    dream.status = to_status
    dream.save(update_fields=["status", "updated_at"])
    # A merged dream leaves the site search (its words live on in the target's).
    searchables.reindex_on_commit("dream", dream.pk)
    status_mail_queue(dream, change)
    return change


def _reason_too_long() -> Invalid:
    return Invalid(
        _("Please keep this under %(n)d characters.") % {"n": REASON_MAX_LENGTH},
        field="reason",
        code="too_long",
    )


def _clean_reason(reason: str, *, to_status: str) -> str:
    reason = clean_text(reason)
    if to_status in REASON_REQUIRED and not reason:
        raise Invalid(
            _("Please give the public reason for this change."),
            field="reason",
            code="required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise _reason_too_long()
    return reason


@transaction.atomic
def dream_status_change(
    *, dream: Dream, to_status: str, by, reason: str = ""
) -> DreamStatusChange:
    """Move `dream` to `to_status` (an allowed step) and notify the people in it."""
    locked = _locked(dream)
    if not rules.has_perm("ideas.triage_dream", by, locked):
        raise _refuse()
    if to_status not in DreamStatus.values or to_status == DreamStatus.MERGED:
        raise Invalid(_("Choose a status."), field="to_status")
    if to_status not in ALLOWED_TRANSITIONS[locked.status]:
        raise Conflict(
            _("A dream cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": DreamStatus(locked.status).label,
                "to": DreamStatus(to_status).label,
            },
            field="to_status",
            code="transition",
        )
    reason = _clean_reason(reason, to_status=to_status)
    change = _record_change(dream=locked, to_status=to_status, by=by, reason=reason)
    dream.status = locked.status
    return change


@transaction.atomic
def dream_merge(*, source: Dream, target: Dream, by, reason: str = "") -> Dream:
    """Merge the duplicate `source` into `target`; returns the updated target.

    People who supported both count once; the source's dreamer becomes a supporter
    of the target (unless they wrote it). Dreams merged earlier into `source` now
    point at `target`. The source keeps its text and redirects to the target.
    """
    if source.pk == target.pk:
        raise Invalid(_("A dream cannot be merged into itself."), code="self")
    # Both rows, in key order so two merges cannot deadlock, as they are now.
    locked = lock_rows(Dream, [source.pk, target.pk])
    if len(locked) != 2:
        raise Invalid(_("That dream no longer exists."), code="not_found")
    src, dst = locked[source.pk], locked[target.pk]
    if not rules.has_perm("ideas.merge_dreams", by, DreamPair(src, dst)):
        raise _refuse()
    if src.status == DreamStatus.MERGED:
        raise Conflict(_("This dream has already been merged."), code="merged")
    if dst.status == DreamStatus.MERGED:
        raise Conflict(
            _("A dream cannot be merged into a dream that was itself merged."),
            code="target_merged",
        )
    reason = clean_text(reason) or _("Merged into “%(title)s”.") % {"title": dst.title}
    if len(reason) > REASON_MAX_LENGTH:
        raise _reason_too_long()

    supports_move(DreamSupport, "dream", src=src, dst=dst)
    Dream.objects.filter(merged_into=src).update(merged_into=dst)
    dst.support_count = DreamSupport.objects.filter(dream=dst).count()
    dst.trend = dream_trend_count(dream=dst)
    dst.save(update_fields=["support_count", "trend", "updated_at"])
    src.merged_into = dst
    src.support_count = src.trend = 0
    src.save(update_fields=["merged_into", "support_count", "trend", "updated_at"])
    _record_change(dream=src, to_status=DreamStatus.MERGED, by=by, reason=reason)
    # The target is now also found by the words of the dreams it took in.
    dream_search_terms_refresh(dst)
    source.status, source.merged_into_id = src.status, dst.pk
    return dst


@transaction.atomic
def dream_language_set(*, dream: Dream, language: str, by) -> Dream:
    """Correct the recorded language of a dream's text (staff, on the triage
    page); its search terms are analysed again in the new language."""
    if language not in LANGUAGES:
        raise Invalid(_("Choose a language."), field="language", code="invalid")
    locked = _locked(dream)
    if not rules.has_perm("ideas.correct_dream_language", by, locked):
        raise _refuse()
    if locked.language != language:
        locked.language = language
        locked.save(update_fields=["language", "updated_at"])
        dream_search_terms_refresh(locked)
        # A merged dream's words also count for the dream that took it in.
        if locked.merged_into_id is not None:
            target = lock_row(Dream, locked.merged_into_id)
            if target is not None:
                dream_search_terms_refresh(target)
    dream.language, dream.search_terms = locked.language, locked.search_terms
    return locked


@transaction.atomic
def dream_link_add(
    *, dream: Dream, by, page=None, workshop_id: int | None = None, label: str = ""
) -> DreamLink:
    """Link `dream` to the planned service `page` or the workshop it went into."""
    if (page is None) == (workshop_id is None):
        raise Invalid(
            _("Link the dream to either a page or a workshop."), code="link_target"
        )
    locked = _locked(dream)
    if not rules.has_perm("ideas.link_dream", by, locked):
        raise _refuse()
    label = clean_text(label, multiline=False)[:200]
    if page is not None:
        link, _created = DreamLink.objects.get_or_create(
            dream=locked,
            page=page,
            defaults={
                "kind": DreamLinkKind.PLANNED_SERVICE,
                "label": label,
                "created_by": by,
            },
        )
    else:
        link, _created = DreamLink.objects.get_or_create(
            dream=locked,
            workshop_id=workshop_id,
            defaults={"kind": DreamLinkKind.WORKSHOP, "label": label, "created_by": by},
        )
    return link
