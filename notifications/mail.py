"""Notification e-mail: at once or in digests, through the outbox (`core.mail`).

Every e-mail is written in its recipient's language, carries a signed link to
unsubscribe (per kind, or from everything for a digest) and the RFC 8058
`List-Unsubscribe` / `List-Unsubscribe-Post` headers, and marks the
notifications it tells of as e-mailed (`emailed_at`), so no later digest repeats
them. Nothing is sent about a target its kind now says is hidden or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape  # the stdlib's: no lazy-string checks per call

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.http import absolute_url
from core.mail import outbox_kick
from core.models import OutgoingMail
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


def unsubscribe_token(user_id: int, kind: str = ALL_KINDS) -> str:
    """A signed, dated token naming a person and a kind ("" = every kind)."""
    return signing.dumps([user_id, kind], salt=SALT, compress=False)


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


def _mail(user, *, template: str, context: dict, kind: str) -> OutgoingMail:
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
    return OutgoingMail(
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


def _queue(rows: list[OutgoingMail], note_ids: list[int]) -> int:
    if not rows:
        return 0
    OutgoingMail.objects.bulk_create(rows, batch_size=500)
    now = timezone.now()
    for start in range(0, len(note_ids), 5000):
        Notification.objects.filter(pk__in=note_ids[start : start + 5000]).update(
            emailed_at=now
        )
    transaction.on_commit(outbox_kick)
    return len(rows)


def digest_recipient_ids(*, period: str, now: datetime | None = None) -> list[int]:
    """Who has unread notifications nobody e-mailed within `period`'s window."""
    now = now or timezone.now()
    return list(
        _pending(period, now)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def _pending(period: str, now: datetime):
    return Notification.objects.filter(
        emailed_at__isnull=True,
        read_at__isnull=True,
        created_at__gte=now - WINDOWS[period],
        created_at__lte=now,
    )


def digests_send(*, period: str, now: datetime | None = None) -> int:
    """Queue one digest e-mail per person whose chosen delivery for some pending
    notification is `period` (daily or weekly); returns how many were queued.

    People are taken in batches, each batch in one transaction and a fixed
    number of queries (their notifications, their choices, the outbox rows, the
    marks), so a run over 100,000 people neither holds one huge transaction nor
    asks per person."""
    if period not in WINDOWS:
        raise ValueError(f"period must be daily or weekly, not {period!r}")
    now = now or timezone.now()
    ids = digest_recipient_ids(period=period, now=now)
    visible = _Visibility()
    queued = 0
    for start in range(0, len(ids), USERS_PER_BATCH):
        queued += _digest_batch(
            period, now, ids[start : start + USERS_PER_BATCH], visible
        )
    return queued


@dataclass(frozen=True)
class _Phrases:
    """A digest's fixed words and addresses in one language, looked up once per
    language and batch: composing 100,000 digests from templates would not fit
    the two minutes a run may take (bench/digests.py)."""

    subject: str
    hello: str  # with %(name)s
    intro: str
    labels: dict[str, str]
    centre: tuple[str, str]  # (label, url)
    settings: tuple[str, str]
    stop: str
    unsubscribe_stem: str  # the unsubscribe address up to its token
    language: str

    @classmethod
    def make(cls, language: str, weekly: bool) -> _Phrases:
        with translation.override(language):
            stem = reverse("notifications:unsubscribe", args=["TOKEN"])
            return cls(
                subject=str(
                    _("Palvelupaja: your weekly digest")
                    if weekly
                    else _("Palvelupaja: your daily digest")
                ),
                hello=str(_("Hello %(name)s,")),
                intro=str(_("What happened to what you follow:")),
                labels={code: str(k.label) for code, k in registry.kinds().items()},
                centre=(
                    str(_("All your notifications")),
                    absolute_url(reverse("notifications:centre")),
                ),
                settings=(
                    str(_("Choose which e-mail you get")),
                    absolute_url(reverse("notifications:following")),
                ),
                stop=str(_("Stop all notification e-mail")),
                unsubscribe_stem=absolute_url(stem[: stem.index("TOKEN")]),
                language=language,
            )

    def compose(self, *, user_id: int, email: str, name: str, items) -> OutgoingMail:
        """One digest: `items` are (kind, text, url) rows, newest first."""
        unsubscribe = f"{self.unsubscribe_stem}{unsubscribe_token(user_id)}/"
        hello = self.hello % {"name": name}
        text = [hello, "", self.intro, ""]
        html = [
            f'<!DOCTYPE html>\n<html lang="{self.language}"><head><meta '
            f'charset="utf-8"><title>{escape(self.subject)}</title></head><body>'
            f"<p>{escape(hello)}</p><p>{escape(self.intro)}</p><ul>"
        ]
        for kind, title, url in items:
            label = self.labels.get(kind, "")
            link = absolute_url(url) if url else ""
            text += [f"* {label}: {title}", f"  {link}"]
            shown = (
                f'<a href="{escape(link)}">{escape(title)}</a>'
                if link
                else escape(title)
            )
            html.append(f"<li>{escape(label)}: {shown}</li>")
        footer = [self.centre, self.settings, (self.stop, unsubscribe)]
        text += [""] + [f"{label}: {url}" for label, url in footer]
        html.append("</ul><p>")
        html.append(
            " · ".join(
                f'<a href="{escape(url)}">{escape(label)}</a>' for label, url in footer
            )
        )
        html.append("</p></body></html>\n")
        return OutgoingMail(
            to_email=email,
            subject=self.subject,
            body="\n".join(text),
            html_body="".join(html),
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


@transaction.atomic
def _digest_batch(period: str, now: datetime, user_ids: list[int], visible) -> int:
    rows = (
        _pending(period, now)
        .filter(recipient_id__in=user_ids, recipient__is_active=True)
        .exclude(recipient__email="")
        .order_by("recipient_id", "-created_at", "-id")
        .values_list(
            "pk",
            "kind",
            "text",
            "url",
            "content_type_id",
            "object_id",
            "recipient_id",
            "recipient__email",
            "recipient__preferred_language",
            "recipient__display_name",
        )
    )
    by_user: dict[int, list[tuple]] = {}
    for row in rows:
        by_user.setdefault(row[6], []).append(row)
    choices = delivery_choices(user_ids=list(by_user))
    visible.prime(
        (row[1], row[4], row[5]) for group in by_user.values() for row in group
    )
    phrases: dict[str, _Phrases] = {}
    mails: list[OutgoingMail] = []
    told: list[int] = []
    for user_id, group in by_user.items():
        chosen = choices.get(user_id, {})
        mine = [
            row
            for row in group
            if delivery_of(chosen, row[1]) == period
            and visible.check(row[1], row[4], row[5])
        ]
        if not mine:
            continue
        _pk, _kind, _text, _url, _ct, _oid, _uid, email, language, name = mine[0]
        language = language or settings.LANGUAGE_CODE
        if language not in phrases:
            phrases[language] = _Phrases.make(language, period == Delivery.WEEKLY)
        mails.append(
            phrases[language].compose(
                user_id=user_id,
                email=email,
                name=name,
                items=[(row[1], row[2], row[3]) for row in mine],
            )
        )
        told.extend(row[0] for row in mine)
    return _queue(mails, told)
