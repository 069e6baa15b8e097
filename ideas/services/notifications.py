"""The status e-mail to a dream's dreamer and supporters, through the outbox,
and the notification to its followers (the e-mailed ones are not e-mailed again
by a digest)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from core.http import absolute_url
from core.mail import outbox_kick, outbox_mail
from core.models import OutgoingMail
from ideas.models import Dream, DreamStatus, DreamStatusChange
from ideas.registrations import STATUS_KIND
from notifications.services import notify


def status_mail_queue(dream: Dream, change: DreamStatusChange) -> None:
    """Queue the status e-mail to the dreamer and supporters in this transaction.

    The rows exist exactly when the change does; after commit the outbox sends
    them in batches, each in its recipient's language (`core.mail`).
    """
    # Supporters of a merged dream now sit on the target dream; tell them too.
    supporters_of = dream.pk
    if change.to_status == DreamStatus.MERGED and dream.merged_into_id:
        supporters_of = dream.merged_into_id
    recipients = (
        User.objects.filter(
            Q(pk=dream.author_id) | Q(dream_supports__dream_id=supporters_of),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .only("email", "preferred_language", "display_name")
    )
    context = {
        "dream": dream,
        "change": change,
        "to_label": DreamStatus(change.to_status).label,
        "url": absolute_url(dream.get_absolute_url()),
    }
    rows = []
    mailed = []
    for user in recipients.iterator(chunk_size=500):
        rows.append(
            outbox_mail(
                user, "ideas/email/status_change.txt", {**context, "user": user}
            )
        )
        mailed.append(user.pk)
    if rows:
        OutgoingMail.objects.bulk_create(rows, batch_size=500)
        transaction.on_commit(outbox_kick)
    # In the same transaction, like the e-mails: the notification exists
    # exactly when the change does (its own e-mail, if any, goes after commit).
    notify(
        kind=STATUS_KIND,
        target=dream,
        actor=change.changed_by,
        params={"status": change.to_status},
        already_mailed=mailed,
    )
