"""Sending the e-mail outbox in batches, away from the request that queued it.

Why an outbox table rather than a task queue: Wagtail 8's django_tasks ships only
the immediate and dummy backends here, and the immediate one would send a thousand
e-mails inside the request. Services write `OutgoingMail` rows in the same
transaction as the change (so an e-mail exists exactly when the change does) and
call `outbox_kick` from `transaction.on_commit`. `outbox_kick` then, according to
`PARTICIPATION_MAIL_DELIVERY`:

* ``"thread"`` (default): drains the outbox in a background thread, batch by batch,
  so the request returns at once;
* ``"inline"``: sends in the calling thread (used when the in-memory test backend
  is active, which is instant);
* ``"command"``: does nothing; a cron job runs ``manage.py send_queued_mail``.

Many rows at once (a night's digests) go through `outbox_queue`, which writes
them with one COPY on PostgreSQL.

``manage.py send_queued_mail`` also picks up anything a stopped process left behind.
Batches lock their rows with ``select_for_update(skip_locked=True)`` on PostgreSQL,
so several senders never send the same e-mail twice.
"""

import json
import logging
import threading
from collections.abc import Sequence
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.models import OutgoingMail

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 5


def _message(row: OutgoingMail) -> EmailMultiAlternatives:
    """The e-mail of one outbox row: plain text, an HTML alternative and extra
    headers when the row has them."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers={str(k): str(v) for k, v in (row.headers or {}).items()},
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    return message


def outbox_send_batch(*, batch_size: int = BATCH_SIZE) -> int:
    """Send up to `batch_size` queued e-mails; returns how many were sent."""
    with transaction.atomic():
        rows = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .order_by("id")[:batch_size]
        )
        if not rows:
            return 0
        messages = [_message(row) for row in rows]
        ids = [row.pk for row in rows]
        try:
            with get_connection() as mail_connection:
                sent = mail_connection.send_messages(messages) or 0
        except Exception:  # noqa: BLE001 - keep the rows for a later attempt
            logger.exception("sending %d queued e-mails failed", len(rows))
            OutgoingMail.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1)
            return 0
        OutgoingMail.objects.filter(pk__in=ids).update(sent_at=timezone.now())
        return sent


def outbox_send(*, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """Send batches until the outbox is empty; returns the number sent."""
    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        sent = outbox_send_batch(batch_size=batch_size)
        batches += 1
        if not sent:
            break
        total += sent
    return total


def _drain_in_thread() -> None:
    try:
        outbox_send()
    except Exception:  # noqa: BLE001 - a background sender must never crash loudly
        logger.exception("background outbox sender failed")
    finally:
        close_old_connections()
        connection.close()


def _delivery_mode() -> str:
    mode = getattr(settings, "PARTICIPATION_MAIL_DELIVERY", "thread")
    if settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend":
        return "inline"
    return mode


def outbox_kick() -> None:
    """Start sending what is queued (called from `transaction.on_commit`)."""
    mode = _delivery_mode()
    if mode == "inline":
        outbox_send()
    elif mode == "thread":
        threading.Thread(
            target=_drain_in_thread, name="outbox-sender", daemon=True
        ).start()


def outbox_mail(user, template: str, context: dict) -> OutgoingMail:
    """An unsaved outbox row for `user`, rendered in their language from `template`
    (first line the subject, the rest the body)."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        body = render_to_string(template, {**context, "recipient": user})
        subject, _sep, text = body.strip().partition("\n")
    return OutgoingMail(to_email=user.email, subject=subject.strip(), body=text.strip())


class QueuedMail(NamedTuple):
    """One e-mail for `outbox_queue`: the fields of an `OutgoingMail` row that a
    service fills in (a plain tuple: 100,000 model instances cost seconds)."""

    to_email: str
    subject: str
    body: str
    html_body: str = ""
    headers: dict[str, str] | None = None


_COPY_COLUMNS = (
    "created_at",
    "updated_at",
    "to_email",
    "subject",
    "body",
    "html_body",
    "headers",
    "sent_at",
    "attempts",
)


def outbox_queue(mails: Sequence[QueuedMail]) -> int:
    """Write `mails` to the outbox in the caller's transaction and send them
    after it commits; returns how many were queued.

    On PostgreSQL the rows go in by one COPY: for the daily digests (about
    90,000 rows) INSERTs cost 7× as long, most of it quoting parameters in
    Python. The rows are the same either way (tests/core/test_mail.py), but a
    COPY is not among the queries Django counts."""
    if not mails:
        return 0
    if connection.vendor == "postgresql":
        now = timezone.now()
        table = connection.ops.quote_name(OutgoingMail._meta.db_table)
        columns = ", ".join(_COPY_COLUMNS)
        # Django's cursor wrapper hands `copy` to psycopg's own cursor; errors
        # are turned into Django's as for any query.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for mail in mails:
                    copy.write_row(
                        (
                            now,
                            now,
                            mail.to_email,
                            mail.subject,
                            mail.body,
                            mail.html_body,
                            json.dumps(mail.headers or {}),
                            None,
                            0,
                        )
                    )
    else:
        OutgoingMail.objects.bulk_create(
            (
                OutgoingMail(**{**mail._asdict(), "headers": mail.headers or {}})
                for mail in mails
            ),
            batch_size=500,
        )
    transaction.on_commit(outbox_kick)
    return len(mails)
