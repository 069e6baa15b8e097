"""Every write to planned services: their discussions, lifecycle and the city's answer.

Each refuses with a service error from `core.errors` (`Forbidden` when the named
rule in `participation.rules` says no, `Invalid` or `Conflict` otherwise) and
writes nothing then. Comments, reactions and moderation on their discussions are
`discussions.services`.
"""

from __future__ import annotations

from typing import Any

import rules
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Forbidden, Invalid
from core.http import absolute_url
from core.locking import lock_row
from core.mail import outbox_kick, outbox_mail
from core.models import OutgoingMail
from core.sanitize import clean_text
from discussions.models import Discussion
from discussions.services import discussion_for
from participation.models import Lifecycle, PlannedServicePage


def _service_rules(page: PlannedServicePage) -> dict[str, Any]:
    return {
        "is_open": page.status == Lifecycle.OPEN,
        "opens_at": page.comments_open_at,
        "closes_at": page.comments_close_at,
        "allow_anonymous": page.allow_anonymous,
        "premoderated": page.premoderated,
        "report_threshold": page.report_threshold,
    }


@transaction.atomic
def service_discussions_sync(*, page: PlannedServicePage) -> dict[str, Discussion]:
    """Create or update the discussions of `page` and its sections (by target key).

    Called when a page is published or unpublished (`participation.apps`) and by
    the services below that change the page: never when a page is viewed.
    """
    rules = _service_rules(page)
    url = page.url or ""
    result = {
        page.discussion_key: discussion_for(
            page, city=page.city, title=page.title, url=url, **rules
        )
    }
    for section in page.sections.all():
        result[section.discussion_key] = discussion_for(
            section,
            city=page.city,
            title=f"{page.title}: {section.title}",
            url=f"{url}?section={section.key}",
            **rules,
        )
    return result


def service_city_refresh(*, page: PlannedServicePage) -> None:
    """Store the city of the page's (new) parent, e.g. after a move; the pages of
    the moved page's other languages are moved by their own signals."""
    city_id = page.parent_city_id()
    if city_id != page.city_id:
        PlannedServicePage.objects.filter(pk=page.pk).update(city_id=city_id)
        page.city_id = city_id
        service_discussions_sync(page=PlannedServicePage.objects.get(pk=page.pk))


def _set_page_status(page: PlannedServicePage, user: User | None, **fields) -> None:
    """Change fields on the latest revision and publish it (keeps drafts coherent)."""
    latest = page.get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(latest, name, value)
    revision = latest.save_revision(user=user, log_action=True)
    # Authorised by the caller with participation.rules (city roles, not page perms).
    revision.publish(user=user, skip_permission_checks=True)


@transaction.atomic
def service_status_set(
    *, page: PlannedServicePage, user: User, status: str
) -> PlannedServicePage:
    """An editor moves the lifecycle (e.g. closes comments or withdraws)."""
    if not rules.has_perm("participation.set_service_status", user, page):
        raise Forbidden(_("Only the city's editors can do that."), code="not_editor")
    if status not in Lifecycle.values:
        raise Invalid(_("Unknown status."), field="status", code="invalid")
    _set_page_status(page, user, status=status)
    page.refresh_from_db()
    service_discussions_sync(page=page)
    return page


@transaction.atomic
def service_answer_publish(
    *, page: PlannedServicePage, user: User
) -> PlannedServicePage:
    """Publish the city's answer: status → answered, e-mail commenters and supporters.

    The answer text is what the editor wrote in the page's "City's answer" tab (the
    latest revision, draft or not). The e-mails are written to the outbox in this
    transaction and sent in batches after the commit (see `core.mail`).
    """
    if not rules.has_perm("participation.publish_answer", user, page):
        raise Forbidden(
            _("Only the city's editors can publish the answer."), code="not_editor"
        )
    # Locked and read afresh: two editors (or a double click) publishing at once
    # must not both pass the checks below and mail everyone twice.
    page = lock_row(PlannedServicePage, page.pk)
    if page is None:
        raise Invalid(_("This planned service no longer exists."), code="gone")
    latest = page.get_latest_revision_as_object()
    if not clean_text(latest.answer):
        raise Invalid(
            _("Write the answer in the page's “City's answer” tab first."),
            field="answer",
            code="empty",
        )
    if page.status == Lifecycle.WITHDRAWN:
        raise Invalid(_("This service has been withdrawn."), code="withdrawn")
    if page.answer_published_at is not None:
        raise Conflict(_("The answer is already published."), code="duplicate")
    now = timezone.now()
    _set_page_status(page, user, status=Lifecycle.ANSWERED, answer_published_at=now)
    page = PlannedServicePage.objects.get(pk=page.pk)
    discussions = service_discussions_sync(page=page)
    ids = [d.pk for d in discussions.values()]
    recipients = (
        User.objects.filter(is_active=True)
        .filter(
            Q(comments__discussion_id__in=ids)
            | Q(discussion_supports__discussion_id__in=ids)
        )
        .exclude(email="")
        .distinct()
        .only("pk", "email", "preferred_language", "display_name")
    )
    url = absolute_url(page.url or "")
    # One rendering per language, not per recipient: a thousand rows stay cheap.
    rendered: dict[str, OutgoingMail] = {}
    rows = []
    for recipient in recipients.iterator(chunk_size=500):
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        if language not in rendered:
            rendered[language] = outbox_mail(
                recipient,
                "participation/email/answer_published.txt",
                {"page": page, "url": url},
            )
        template = rendered[language]
        rows.append(
            OutgoingMail(
                to_email=recipient.email, subject=template.subject, body=template.body
            )
        )
    OutgoingMail.objects.bulk_create(rows, batch_size=500)
    transaction.on_commit(outbox_kick)
    return page
