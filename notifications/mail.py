"""Notification e-mail: at once or in digests, through the outbox (`core.mail`).

Every e-mail is written in its recipient's language, carries a signed link to
unsubscribe (per kind, or from everything for a digest) and the RFC 8058
`List-Unsubscribe` / `List-Unsubscribe-Post` headers, and marks the
notifications it tells of as e-mailed (`emailed_at`), so no later digest repeats
them. Nothing is sent about a target its kind now says is hidden or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from html import escape  # the stdlib's: no lazy-string checks per call

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import connection, transaction
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.http import absolute_url
from core.mail import QueuedMail, outbox_queue
from notifications import registry
from notifications.models import ALL_KINDS, Delivery, Notification
from notifications.services import delivery_choices, delivery_of

SALT = "notifications.unsubscribe"
# An unsubscribe link keeps working this long (old digests stay useful).
TOKEN_MAX_AGE = timedelta(days=365)
# How far back a digest looks for what was not e-mailed yet (a missed run or a
# choice changed from "never" is caught up, but never with a year of news).
WINDOWS = {Delivery.DAILY: timedelta(days=7), Delivery.WEEKLY: timedelta(days=14)}
USERS_PER_BATCH = 1000
# Ids per UPDATE marking notifications e-mailed (SQLite takes at most 32,766
# parameters in one statement).
MARK_CHUNK = 5000
# How often a batch is read again after another run overtook it.
RACE_RETRIES = 3


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def unsubscribe_token(user_id: int, kind: str = ALL_KINDS) -> str:
    """A signed, dated token naming a person and a kind ("" = every kind);
    `signing.dumps` with the salt, as `unsubscribe_read` reads it."""
    return _signer().sign_object([user_id, kind], compress=False)


def unsubscribe_read(token: str) -> tuple[int, str]:
    """The (user id, kind) a token names; `signing.BadSignature` (or its
    `SignatureExpired`) when forged, damaged or too old."""
    value = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        raise signing.BadSignature("unexpected token content")
    return value[0], value[1]


def _unsubscribe_url(user_id: int, kind: str) -> str:
    # Reversed in the active (the recipient's) language.
    return absolute_url(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)])
    )


def _mail(user, *, template: str, context: dict, kind: str) -> QueuedMail:
    """One outbox row for `user` in the active language: plain text and HTML
    from `template`.txt/.html (the text's first line is the subject)."""
    unsubscribe_url = _unsubscribe_url(user.pk, kind)
    context = {
        **context,
        "recipient": user,
        "language": translation.get_language(),
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute_url(reverse("notifications:following")),
        "centre_url": absolute_url(reverse("notifications:centre")),
    }
    text = get_template(f"{template}.txt").render(context)
    subject, _sep, body = text.strip().partition("\n")
    return QueuedMail(
        to_email=user.email,
        subject=subject.strip()[:255],
        body=body.strip(),
        html_body=get_template(f"{template}.html").render(context),
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


class _Visibility:
    """Whether each notification's target may still be talked about, each target
    loaded and asked once."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int, int], bool] = {}
        self._targets: dict[tuple[int, int], object] = {}

    def __call__(self, note: Notification) -> bool:
        return self.check(note.kind, note.content_type_id, note.object_id)

    def prime(self, rows) -> None:
        """Load the targets of `rows` ((kind, content type id, object id)) not
        seen yet, one query per content type."""
        wanted: dict[int, set] = {}
        for kind, content_type_id, object_id in rows:
            if content_type_id is not None and (
                (kind, content_type_id, object_id) not in self._seen
            ):
                wanted.setdefault(content_type_id, set()).add(object_id)
        for content_type_id, ids in wanted.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            found = model._default_manager.in_bulk(list(ids)) if model else {}
            self._targets.update({(content_type_id, pk): t for pk, t in found.items()})
            for object_id in ids:
                self._targets.setdefault((content_type_id, object_id), None)

    def check(self, kind: str, content_type_id: int | None, object_id) -> bool:
        if content_type_id is None:
            return True
        key = (kind, content_type_id, object_id)
        if key not in self._seen:
            self._seen[key] = self._ask(kind, content_type_id, object_id)
        return self._seen[key]

    def _ask(self, kind: str, content_type_id: int, object_id) -> bool:
        key = (content_type_id, object_id)
        if key not in self._targets:
            self.prime([(kind, content_type_id, object_id)])
        target = self._targets[key]
        if target is None:
            return False
        try:
            kind_ = registry.kind_get(kind)
        except registry.UnknownKind:
            return False
        return registry.is_visible(target, kind_)


def _item(note: Notification) -> dict:
    kinds = registry.kinds()
    kind = kinds.get(note.kind)
    return {
        "label": str(kind.label) if kind else "",
        "text": note.text,
        "url": absolute_url(note.url) if note.url else "",
        "created_at": note.created_at,
    }


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


@transaction.atomic
def immediate_send(
    *, kind: str, created_at: datetime, recipient_ids: Iterable[int]
) -> int:
    """E-mail at once the notifications of `kind` made at `created_at` for
    `recipient_ids` (after `notify` committed); returns how many were queued."""
    notes = list(
        Notification.objects.select_for_update(of=("self",))
        .filter(
            kind=kind,
            created_at=created_at,
            recipient_id__in=list(recipient_ids),
            emailed_at__isnull=True,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
    )
    visible = _Visibility()
    notes = [note for note in notes if visible(note)]
    rows = []
    for note in notes:
        with translation.override(_language(note.recipient)):
            rows.append(
                _mail(
                    note.recipient,
                    template="notifications/email/notification",
                    context={"item": _item(note)},
                    kind=kind,
                )
            )
    return _queue(rows, [note.pk for note in notes])


class _Raced(Exception):
    """Some notifications were e-mailed by someone else after they were read."""


def _queue(mails: list[QueuedMail], note_ids: list[int]) -> int:
    """Mark `note_ids` e-mailed and write `mails` to the outbox, both in the
    caller's transaction; returns how many mails were queued.

    Raises `_Raced` when some of `note_ids` were marked since they were read
    (another run at the same time: its UPDATE held them until it committed),
    so the caller's transaction undoes its mails rather than repeat news."""
    if not mails:
        return 0
    if _mark_emailed(note_ids, timezone.now()) != len(note_ids):
        raise _Raced
    return outbox_queue(mails)


def _mark_emailed(note_ids: list[int], now: datetime) -> int:
    """Set `emailed_at` on those of `note_ids` nobody marked yet; returns how
    many it set."""
    if connection.vendor == "postgresql":
        # The ids as one array parameter: as `pk__in`, 2,500 parameters a batch
        # cost Django and psycopg more than the UPDATE itself (5–7 s of a
        # 21-s run of bench/digests.py).
        table = connection.ops.quote_name(Notification._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET emailed_at = %s "  # noqa: S608 - our own name
                "WHERE id = ANY(%s) AND emailed_at IS NULL",
                [now, note_ids],
            )
            return cursor.rowcount
    marked = 0
    for start in range(0, len(note_ids), MARK_CHUNK):
        marked += Notification.objects.filter(
            pk__in=note_ids[start : start + MARK_CHUNK], emailed_at__isnull=True
        ).update(emailed_at=now)
    return marked


def _pending(period: str, now: datetime):
    """What no e-mail told of yet, unread, from `period`'s window (the partial
    index `notification_digest_idx` holds exactly the unmailed, unread ones)."""
    return Notification.objects.filter(
        emailed_at__isnull=True,
        read_at__isnull=True,
        created_at__gte=now - WINDOWS[period],
        created_at__lte=now,
    )


def digests_send(*, period: str, now: datetime | None = None) -> int:
    """Queue one digest e-mail per person whose chosen delivery for some pending
    notification is `period` (daily or weekly); returns how many were queued.

    People are taken in batches in the order of their ids (keyset: the next
    `USERS_PER_BATCH` people with something pending after the last batch), each
    batch one transaction of a fixed number of queries: the people, their
    notifications, their choices, one UPDATE marking what was told and one
    write of the outbox rows (a COPY on PostgreSQL). So a run over 100,000
    people holds no huge transaction and asks nothing per person; an
    interrupted run leaves whole batches (what they told is marked), and running
    again picks up the rest. A batch that another run overtook is read again
    (`_Raced`): nobody gets news twice."""
    if period not in WINDOWS:
        raise ValueError(f"period must be daily or weekly, not {period!r}")
    now = now or timezone.now()
    run = _DigestRun(period, now)
    queued = 0
    after = 0
    while True:
        user_ids = list(
            _pending(period, now)
            .filter(recipient_id__gt=after)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()[:USERS_PER_BATCH]
        )
        if not user_ids:
            return queued
        for _attempt in range(RACE_RETRIES):
            try:
                queued += run.batch(user_ids[0], user_ids[-1])
                break
            except _Raced:
                continue
        else:
            raise RuntimeError(
                "another digest run kept e-mailing the same notifications"
            )
        after = user_ids[-1]


class _Phrases:
    """A digest's fixed words and addresses in one language, looked up once per
    run: composing 90,000 digests from templates, or translating per digest,
    would not fit the two minutes a run may take (bench/digests.py)."""

    def __init__(self, language: str, weekly: bool) -> None:
        with translation.override(language):
            stem = reverse("notifications:unsubscribe", args=["TOKEN"])
            self.subject = str(
                _("Palvelupaja: your weekly digest")
                if weekly
                else _("Palvelupaja: your daily digest")
            )
            self.hello = str(_("Hello %(name)s,"))
            self.intro = str(_("What happened to what you follow:"))
            # Each kind's label as text and as HTML, escaped once.
            self.labels = {
                code: (str(k.label), escape(str(k.label)))
                for code, k in registry.kinds().items()
            }
            footer = [
                (_("All your notifications"), reverse("notifications:centre")),
                (_("Choose which e-mail you get"), reverse("notifications:following")),
            ]
            self.footer_text = [
                f"{label}: {absolute_url(url)}" for label, url in footer
            ]
            self.footer_html = [
                f'<a href="{escape(absolute_url(url))}">{escape(str(label))}</a>'
                for label, url in footer
            ]
            self.stop = str(_("Stop all notification e-mail"))
        self.unsubscribe_stem = absolute_url(stem[: stem.index("TOKEN")])
        self.head = (
            f'<!DOCTYPE html>\n<html lang="{language}"><head><meta '
            f'charset="utf-8"><title>{escape(self.subject)}</title></head><body>'
        )
        self.intro_html = f"<p>{escape(self.intro)}</p><ul>"
        self.stop_html = escape(self.stop)

    def compose(
        self, *, token: str, email: str, name: str, items: list[tuple]
    ) -> QueuedMail:
        """One digest: `items` are (kind, text, url) rows, newest first;
        `token` the signed unsubscribe token."""
        unsubscribe = f"{self.unsubscribe_stem}{token}/"
        hello = self.hello % {"name": name}
        text = [hello, "", self.intro, ""]
        html = [self.head, f"<p>{escape(hello)}</p>", self.intro_html]
        for kind, title, url in items:
            label, label_html = self.labels.get(kind, ("", ""))
            link = absolute_url(url) if url else ""
            text += [f"* {label}: {title}", f"  {link}"]
            shown = (
                f'<a href="{escape(link)}">{escape(title)}</a>'
                if link
                else escape(title)
            )
            html.append(f"<li>{label_html}: {shown}</li>")
        text.append("")
        text += self.footer_text
        text.append(f"{self.stop}: {unsubscribe}")
        html.append("</ul><p>")
        html.append(
            " · ".join(
                [
                    *self.footer_html,
                    f'<a href="{escape(unsubscribe)}">{self.stop_html}</a>',
                ]
            )
        )
        html.append("</p></body></html>\n")
        return QueuedMail(
            to_email=email,
            subject=self.subject,
            body="\n".join(text),
            html_body="".join(html),
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


class _DigestRun:
    """What one run keeps between its batches: the words of each language,
    which targets may be talked about, and one signer for the tokens."""

    def __init__(self, period: str, now: datetime) -> None:
        self.period = period
        self.now = now
        self.visible = _Visibility()
        self.phrases: dict[str, _Phrases] = {}
        # `unsubscribe_token` makes the same token; one signer saves its setup
        # for each of 100,000 people.
        self.signer = _signer()

    def _words(self, language: str) -> _Phrases:
        if language not in self.phrases:
            self.phrases[language] = _Phrases(language, self.period == Delivery.WEEKLY)
        return self.phrases[language]

    @transaction.atomic
    def batch(self, first: int, last: int) -> int:
        """Queue the digests of the people whose ids are from `first` to `last`;
        returns how many. A range, not a list of ids: each query is one index
        range scan, and the batches' ranges together read each table once."""
        people = {
            pk: (email, language or settings.LANGUAGE_CODE, name)
            for pk, email, language, name in get_user_model()
            .objects.filter(pk__gte=first, pk__lte=last, is_active=True)
            .exclude(email="")
            .values_list("pk", "email", "preferred_language", "display_name")
        }
        rows = (
            _pending(self.period, self.now)
            .filter(recipient_id__gte=first, recipient_id__lte=last)
            .order_by("recipient_id", "-created_at", "-id")
            .values_list(
                "pk",
                "kind",
                "text",
                "url",
                "content_type_id",
                "object_id",
                "recipient_id",
            )
        )
        by_user: dict[int, list[tuple]] = {}
        for row in rows:
            if row[6] in people:
                by_user.setdefault(row[6], []).append(row)
        choices = delivery_choices(between=(first, last))
        self.visible.prime(
            (row[1], row[4], row[5]) for group in by_user.values() for row in group
        )
        mails: list[QueuedMail] = []
        told: list[int] = []
        for user_id, group in by_user.items():
            chosen = choices.get(user_id, {})
            mine = [
                row
                for row in group
                if delivery_of(chosen, row[1]) == self.period
                and self.visible.check(row[1], row[4], row[5])
            ]
            if not mine:
                continue
            email, language, name = people[user_id]
            mails.append(
                self._words(language).compose(
                    token=self.signer.sign_object([user_id, ALL_KINDS], compress=False),
                    email=email,
                    name=name,
                    items=[(row[1], row[2], row[3]) for row in mine],
                )
            )
            told.extend(row[0] for row in mine)
        return _queue(mails, told)
