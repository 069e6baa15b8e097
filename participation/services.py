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
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.models import User
from core import searchables
from core.errors import Conflict, Forbidden, Invalid
from core.http import absolute_url
from core.locking import lock_row
from core.mail import outbox_kick, outbox_mail
from core.models import OutgoingMail
from discussions.models import Discussion
from discussions.services import discussion_for
from notifications.selectors import follower_ids
from notifications.services import notify
from participation.models import Lifecycle, PlannedServicePage, ServiceState
from participation.registrations import ANSWER_KIND, NEW_KIND, service_for_key
from participation.selectors import (
    service_answer_to_publish,
    service_copies_by_language,
)
from participation.staged_state import REVISION_STATE_KEY


def _service_rules(page: PlannedServicePage) -> dict[str, Any]:
    state = page.service_state
    return {
        "is_open": state.status == Lifecycle.OPEN,
        "opens_at": state.comments_open_at,
        "closes_at": state.comments_close_at,
        "allow_anonymous": state.allow_anonymous,
        "premoderated": state.premoderated,
        "report_threshold": state.report_threshold,
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
    # Published or unpublished: the page, its sections and comments in the search.
    searchables.reindex_on_commit("service", page.pk)
    return result


def service_city_refresh(*, page: PlannedServicePage) -> None:
    """Store the city of the page's (new) parent, e.g. after a move; the pages of
    the moved page's other languages are moved by their own signals."""
    city_id = page.parent_city_id()
    if city_id != page.city_id:
        PlannedServicePage.objects.filter(pk=page.pk).update(city_id=city_id)
        page.city_id = city_id
        service_discussions_sync(page=PlannedServicePage.objects.get(pk=page.pk))


def service_published(*, page: PlannedServicePage, revision=None) -> None:
    """A copy was published (now or by the scheduler): its revision's shared
    values are in the state now (`PlannedServicePage.save`), so the revision
    forgets them (reopening or reverting to it must not set them again over later
    changes), and the shared discussions take the state's rules."""
    if revision is not None and REVISION_STATE_KEY in (revision.content or {}):
        content = dict(revision.content)
        del content[REVISION_STATE_KEY]
        type(revision).objects.filter(pk=revision.pk).update(content=content)
        revision.content = content
    service_discussions_sync(page=page)
    _announce_first_publication(page)


def _announce_first_publication(page: PlannedServicePage) -> None:
    """The first publication of a service (of any of its language versions)
    reaches the people following its districts and topics, once."""
    if page.first_published_at is None or page.first_published_at != (
        page.last_published_at
    ):
        return
    copies = PlannedServicePage.objects.filter(translation_key=page.translation_key)
    if copies.filter(first_published_at__lt=page.first_published_at).exists():
        return
    places = [*page.districts.all(), *page.topics.all()]
    recipients = follower_ids(targets=places)
    if recipients:
        notify(
            kind=NEW_KIND,
            target=service_for_key(str(page.translation_key)) or page,
            recipients=recipients,
        )


def _lock_state(page: PlannedServicePage) -> ServiceState:
    """The page's shared state, locked (created first if the page has none yet)."""
    if page.state_id is None:
        page.save(update_fields=["state"], clean=False)
    state = lock_row(ServiceState, page.state_id)
    page.state = state
    return state


@transaction.atomic
def service_status_set(
    *, page: PlannedServicePage, user: User, status: str
) -> PlannedServicePage:
    """An editor moves the lifecycle (e.g. closes comments or withdraws)."""
    if not rules.has_perm("participation.set_service_status", user, page):
        raise Forbidden(_("Only the city's editors can do that."), code="not_editor")
    if status not in Lifecycle.values:
        raise Invalid(_("Unknown status."), field="status", code="invalid")
    state = _lock_state(page)
    state.status = status
    state.save(update_fields=["status", "updated_at"])
    log(
        instance=page,
        action="participation.status_set",
        user=user,
        data={"status": status},
    )
    service_discussions_sync(page=page)
    return page


@transaction.atomic
def service_answer_publish(
    *, page: PlannedServicePage, user: User
) -> PlannedServicePage:
    """Publish the city's answer: status → answered (shared by every language
    version), e-mail commenters and supporters, each linked to the version in
    their language.

    The answer text is what the editor wrote in the page's "City's answer" tab (the
    latest revision, draft or not; published with it). Versions without a
    translated answer show this one, marked with its language. The e-mails are
    written to the outbox in this transaction and sent in batches after the
    commit (see `core.mail`).
    """
    if not rules.has_perm("participation.publish_answer", user, page):
        raise Forbidden(
            _("Only the city's editors can publish the answer."), code="not_editor"
        )
    # Locked and read afresh: two editors (or a double click) publishing at once
    # must not both pass the checks below and mail everyone twice.
    page = PlannedServicePage.objects.filter(pk=page.pk).first()
    if page is None:
        raise Invalid(_("This planned service no longer exists."), code="gone")
    state = _lock_state(page)
    # The publication is shared: any copy publishes it, as long as some copy's
    # answer will be shown (this copy's latest text, published with it below, or
    # a live copy's; the others show that one, marked with its language).
    if service_answer_to_publish(page=page) is None:
        raise Invalid(
            _(
                "No language version has the city's answer yet: write it in the "
                "“City's answer” tab (and publish that version) first."
            ),
            field="answer",
            code="empty",
        )
    if state.status == Lifecycle.WITHDRAWN:
        raise Invalid(_("This service has been withdrawn."), code="withdrawn")
    if state.answer_published_at is not None:
        raise Conflict(_("The answer is already published."), code="duplicate")
    if page.has_unpublished_changes or not page.live:
        revision = page.get_latest_revision() or page.save_revision(user=user)
        # Authorised by the caller with participation.rules (city roles, not
        # page perms).
        revision.publish(user=user, skip_permission_checks=True)
    state.status = Lifecycle.ANSWERED
    state.answer_published_at = timezone.now()
    state.save(update_fields=["status", "answer_published_at", "updated_at"])
    log(instance=page, action="participation.answer_publish", user=user)
    page = PlannedServicePage.objects.select_related("state").get(pk=page.pk)
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
    copies = service_copies_by_language(page=page)
    searchables.reindex_on_commit("service", *(copy.pk for copy in copies.values()))
    # One rendering per language, not per recipient: a thousand rows stay cheap.
    rendered: dict[str, OutgoingMail] = {}
    rows = []
    mailed = []
    for recipient in recipients.iterator(chunk_size=500):
        mailed.append(recipient.pk)
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        if language not in rendered:
            # The version in the recipient's language, else the published one.
            copy = copies.get(language, page)
            # The public report (insights) by its URL name: no upward import.
            with translation.override(language):
                report = absolute_url(reverse("reports:service", args=[copy.pk]))
            rendered[language] = outbox_mail(
                recipient,
                "participation/email/answer_published.txt",
                {"page": copy, "url": absolute_url(copy.url or ""), "report": report},
            )
        template = rendered[language]
        rows.append(
            OutgoingMail(
                to_email=recipient.email, subject=template.subject, body=template.body
            )
        )
    OutgoingMail.objects.bulk_create(rows, batch_size=500)
    transaction.on_commit(outbox_kick)
    # The service's followers hear of it too; those e-mailed above are not
    # e-mailed again by a digest.
    notify(
        kind=ANSWER_KIND,
        target=service_for_key(str(page.translation_key)) or page,
        actor=user,
        already_mailed=mailed,
    )
    return page
