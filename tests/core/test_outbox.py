"""`core.mail.outbox_queue`: many outbox rows at once (a COPY on PostgreSQL)."""

import pytest
from django.core import mail as sent_mail
from django.db import transaction

from core.mail import QueuedMail, outbox_queue, outbox_send
from core.models import OutgoingMail

MAILS = [
    QueuedMail(
        to_email="aino@example.org",
        subject="Palvelupaja: päivän kooste",
        body="Hei Aino,\n\ttabulaattori \\ kenoviiva ja \\N ei ole tyhjä\n",
        html_body='<p lang="fi">Hei &amp; <b>Aino</b></p>\n',
        headers={
            "List-Unsubscribe": "<https://example.org/u/abc:1x:y/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ),
    QueuedMail(to_email="bo@example.org", subject="Hej", body="Bara text"),
]


def _rows() -> list[tuple]:
    return list(
        OutgoingMail.objects.order_by("id").values_list(
            "to_email", "subject", "body", "html_body", "headers", "sent_at", "attempts"
        )
    )


def test_rows_are_what_the_model_would_write(db, django_capture_on_commit_callbacks):
    OutgoingMail.objects.bulk_create(
        OutgoingMail(**{**m._asdict(), "headers": m.headers or {}}) for m in MAILS
    )
    by_model = _rows()
    OutgoingMail.objects.all().delete()
    with django_capture_on_commit_callbacks() as kicks:
        assert outbox_queue(MAILS) == 2
    assert _rows() == by_model
    assert by_model[1][4] == {}
    assert len(kicks) == 1  # sending starts after the commit
    stamps = OutgoingMail.objects.values_list("created_at", "updated_at")
    assert all(
        abs(updated - created).total_seconds() < 1 for created, updated in stamps
    )


def test_queued_rows_are_sent_with_their_html_and_headers(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_queue(MAILS)
    assert outbox_send() == 2
    first = sent_mail.outbox[0]
    assert first.to == ["aino@example.org"]
    assert first.body == MAILS[0].body
    assert first.alternatives[0][0] == MAILS[0].html_body
    assert first.extra_headers == MAILS[0].headers
    assert not sent_mail.outbox[1].alternatives


def test_nothing_stays_when_the_transaction_is_undone(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_queue(MAILS)
        raise RuntimeError
    assert not OutgoingMail.objects.exists()
    assert outbox_queue([]) == 0
