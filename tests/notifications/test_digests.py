"""Digests in batches: what a recipient gets does not depend on how a run is cut
up, interrupted, repeated or overtaken (`notifications.mail.digests_send`)."""

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from core.mail import QueuedMail
from core.models import OutgoingMail
from notifications import mail, registry
from notifications.models import Delivery, DeliveryPreference, Notification
from notifications.services import delivery_choices, delivery_of, delivery_set
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory

STATUS = "ideas.dream_status"
EVENT = "tests.event"
SITE = "https://palvelupaja.example"
TOKEN = re.compile(r"/unsubscribe/([^/]+)/")


@pytest.fixture
def event_kind(settings):
    """A second kind (no visibility check of its own), and fixed addresses."""
    settings.SITE_URL = SITE
    registry.register_kind(EVENT, label="Test event", describe=lambda t: (str(t), ""))
    yield
    registry.unregister_kind(EVENT)


def _note(user, dream, *, kind=STATUS, text="", url="", minutes=1) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        content_type=ContentType.objects.get_for_model(dream),
        object_id=dream.pk,
        text=text or dream.title,
        url=url,
        created_at=timezone.now() - timedelta(minutes=minutes),
    )


def _tokenless(text: str) -> str:
    return TOKEN.sub("/unsubscribe/TOKEN/", text)


def _digests() -> dict[str, tuple]:
    """The outbox by recipient: what each one reads (tokens left out)."""
    got: dict[str, tuple] = {}
    for row in OutgoingMail.objects.order_by("id"):
        assert row.to_email not in got, "two digests to one person"
        got[row.to_email] = (
            row.subject,
            _tokenless(row.body),
            _tokenless(row.html_body),
            {k: _tokenless(v) for k, v in row.headers.items()},
        )
    return got


def _told() -> set[int]:
    return set(
        Notification.objects.filter(emailed_at__isnull=False).values_list(
            "pk", flat=True
        )
    )


def _start_over() -> None:
    OutgoingMail.objects.all().delete()
    Notification.objects.update(emailed_at=None)


# What the digest composed in Python read like when it was introduced (captured
# from that code), so no speed-up changes a word of it.
FINNISH_DAILY = (
    "Palvelupaja: päivän kooste",
    "Hei Aino & <Eino>,\n\nMitä seuraamillesi asioille on tapahtunut:\n\n"
    '* Test event: Tapahtuma "x"\n  https://x.example/a?b=1&c=2\n'
    "* Palveluunelman tila muuttui: Ilman osoitetta\n  \n"
    "* Palveluunelman tila muuttui: Vanha <b> & uusi\n"
    f"  {SITE}/fi/dreams/1/\n\n"
    f"Kaikki ilmoituksesi: {SITE}/accounts/notifications/\n"
    f"Valitse, mitä sähköposteja saat: {SITE}/accounts/following/\n"
    f"Lopeta kaikki ilmoitussähköpostit: {SITE}/accounts/notifications/"
    "unsubscribe/TOKEN/",
    '<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"><title>'
    "Palvelupaja: päivän kooste</title></head><body><p>Hei Aino &amp; &lt;Eino&gt;,"
    "</p><p>Mitä seuraamillesi asioille on tapahtunut:</p><ul><li>Test event: "
    '<a href="https://x.example/a?b=1&amp;c=2">Tapahtuma &quot;x&quot;</a></li>'
    "<li>Palveluunelman tila muuttui: Ilman osoitetta</li><li>Palveluunelman tila "
    f'muuttui: <a href="{SITE}/fi/dreams/1/">Vanha &lt;b&gt; &amp; uusi</a></li>'
    f'</ul><p><a href="{SITE}/accounts/notifications/">Kaikki ilmoituksesi</a> · '
    f'<a href="{SITE}/accounts/following/">Valitse, mitä sähköposteja saat</a> · '
    f'<a href="{SITE}/accounts/notifications/unsubscribe/TOKEN/">Lopeta kaikki '
    "ilmoitussähköpostit</a></p></body></html>\n",
    f"<{SITE}/accounts/notifications/unsubscribe/TOKEN/>",
)
SWEDISH_WEEKLY = (
    "Palvelupaja: din veckosammanfattning",
    "Hej Aino & <Eino>,\n\nVad som hänt med det du följer:\n\n"
    '* Test event: Tapahtuma "x"\n  https://x.example/a?b=1&c=2\n'
    "* Servicedrömmens status ändrades: Ilman osoitetta\n  \n"
    "* Servicedrömmens status ändrades: Vanha <b> & uusi\n"
    f"  {SITE}/fi/dreams/1/\n\n"
    f"Alla dina aviseringar: {SITE}/sv/accounts/notifications/\n"
    f"Välj vilka e-postmeddelanden du får: {SITE}/sv/accounts/following/\n"
    f"Stoppa all aviseringsmejl: {SITE}/sv/accounts/notifications/unsubscribe/"
    "TOKEN/",
    '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8"><title>'
    "Palvelupaja: din veckosammanfattning</title></head><body><p>Hej Aino &amp; "
    "&lt;Eino&gt;,</p><p>Vad som hänt med det du följer:</p><ul><li>Test event: "
    '<a href="https://x.example/a?b=1&amp;c=2">Tapahtuma &quot;x&quot;</a></li>'
    "<li>Servicedrömmens status ändrades: Ilman osoitetta</li><li>Servicedrömmens "
    f'status ändrades: <a href="{SITE}/fi/dreams/1/">Vanha &lt;b&gt; &amp; uusi</a>'
    f'</li></ul><p><a href="{SITE}/sv/accounts/notifications/">Alla dina '
    f'aviseringar</a> · <a href="{SITE}/sv/accounts/following/">Välj vilka '
    "e-postmeddelanden du får</a> · "
    f'<a href="{SITE}/sv/accounts/notifications/unsubscribe/TOKEN/">Stoppa all '
    "aviseringsmejl</a></p></body></html>\n",
    f"<{SITE}/sv/accounts/notifications/unsubscribe/TOKEN/>",
)


@pytest.mark.parametrize(
    ("language", "period", "expected"),
    [("fi", Delivery.DAILY, FINNISH_DAILY), ("sv", Delivery.WEEKLY, SWEDISH_WEEKLY)],
)
def test_a_digest_reads_word_for_word_as_before(
    db, event_kind, language, period, expected
):
    user = UserFactory(
        preferred_language=language,
        display_name="Aino & <Eino>",
        email="aino@example.org",
    )
    if period == Delivery.WEEKLY:
        delivery_set(user=user, deliveries={"": Delivery.WEEKLY})
    dream = DreamFactory(title="Iltakirjasto")
    _note(user, dream, text="Vanha <b> & uusi", url="/fi/dreams/1/", minutes=30)
    _note(user, dream, text="Ilman osoitetta", minutes=20)
    _note(
        user,
        dream,
        kind=EVENT,
        text='Tapahtuma "x"',
        url="https://x.example/a?b=1&c=2",
        minutes=5,
    )
    assert mail.digests_send(period=period) == 1
    subject, body, html, unsubscribe = expected
    assert _digests() == {
        "aino@example.org": (
            subject,
            body,
            html,
            {
                "List-Unsubscribe": unsubscribe,
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    }
    row = OutgoingMail.objects.get()
    tokens = set(TOKEN.findall(row.body + row.html_body + str(row.headers)))
    assert len(tokens) == 1
    assert mail.unsubscribe_read(tokens.pop()) == (user.pk, "")


@pytest.fixture
def people(db, event_kind):
    """Followers in three languages with every kind of choice, some news each,
    and news that must not be told (read, too old, about a removed dream)."""
    dreams = [DreamFactory(title=f"Unelma {n}") for n in range(3)]
    gone = DreamFactory(title="Poistettu")
    choices = [
        {},  # the default: daily
        {STATUS: Delivery.WEEKLY},
        {"": Delivery.WEEKLY, EVENT: Delivery.DAILY},
        {"": Delivery.NEVER},
        {STATUS: Delivery.IMMEDIATE},
        {EVENT: Delivery.NEVER},
    ]
    users = []
    for n in range(14):
        user = UserFactory(
            preferred_language=["fi", "sv", "en"][n % 3],
            display_name=f"Seuraaja {n}",
            is_active=n != 9,
            email="" if n == 10 else f"follower{n}@example.org",
        )
        DeliveryPreference.objects.bulk_create(
            DeliveryPreference(user=user, kind=kind, delivery=delivery)
            for kind, delivery in choices[n % len(choices)].items()
        )
        for m, dream in enumerate(dreams[: 1 + n % 3]):
            _note(user, dream, url=f"/dreams/{dream.pk}/", minutes=10 * m + n)
            _note(user, dream, kind=EVENT, text=f"Tapahtuma {m}", minutes=5 * m + 1)
        _note(user, gone, minutes=3)
        read = _note(user, dreams[0], text="Luettu")
        read.read_at = timezone.now()
        read.save()
        _note(user, dreams[1], text="Vanha", minutes=60 * 24 * 15)
        users.append(user)
    gone.delete()
    return users


def _expected(period: str) -> set[int]:
    """What a digest of `period` should tell, asked person by person."""
    told = set()
    week = timezone.now() - mail.WINDOWS[period]
    for note in Notification.objects.filter(
        emailed_at__isnull=True,
        read_at__isnull=True,
        created_at__gte=week,
        recipient__is_active=True,
    ).exclude(recipient__email=""):
        chosen = delivery_choices(user_ids=[note.recipient_id]).get(
            note.recipient_id, {}
        )
        if delivery_of(chosen, note.kind) == period and note.target is not None:
            told.add(note.pk)
    return told


@pytest.mark.parametrize("period", [Delivery.DAILY, Delivery.WEEKLY])
def test_batches_of_any_size_give_the_same_digests(people, monkeypatch, period):
    expected = _expected(period)
    assert expected  # the fixture has something to tell
    whole = mail.digests_send(period=period)
    digests, told = _digests(), _told()
    assert told == expected
    assert (
        whole
        == len(digests)
        == len({n.recipient_id for n in Notification.objects.filter(pk__in=told)})
    )
    for size in (1, 2, 5):
        _start_over()
        monkeypatch.setattr(mail, "USERS_PER_BATCH", size)
        assert mail.digests_send(period=period) == whole
        assert _digests() == digests
        assert _told() == expected
    # Each in their own language, newest first.
    for user in people:
        if user.email not in digests:
            continue
        body = digests[user.email][1]
        greeting = {"fi": "Hei ", "sv": "Hej ", "en": "Hello "}[user.preferred_language]
        assert body.startswith(f"{greeting}{user.display_name},")
        mine = Notification.objects.filter(pk__in=told, recipient=user)
        lines = [line for line in body.splitlines() if line.startswith("* ")]
        assert [line.rpartition(": ")[2] for line in lines] == [
            n.text for n in mine.order_by("-created_at", "-id")
        ]


def test_running_again_tells_nothing_twice(people, monkeypatch):
    monkeypatch.setattr(mail, "USERS_PER_BATCH", 3)
    first = mail.digests_send(period=Delivery.DAILY)
    assert first > 3  # more than one batch
    assert mail.digests_send(period=Delivery.DAILY) == 0
    assert OutgoingMail.objects.count() == first


def test_an_interrupted_run_leaves_whole_batches_and_the_next_finishes(
    people, monkeypatch
):
    expected = _expected(Delivery.DAILY)
    everyone = mail.digests_send(period=Delivery.DAILY)
    digests = _digests()
    _start_over()
    monkeypatch.setattr(mail, "USERS_PER_BATCH", 2)
    calls = []
    queue = mail.outbox_queue

    def dies_in_the_second_batch(mails):
        calls.append(len(mails))
        written = queue(mails)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process stopped mid-batch
        return written

    monkeypatch.setattr(mail, "outbox_queue", dies_in_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        mail.digests_send(period=Delivery.DAILY)
    # The first batch is whole: its digests and exactly what they told.
    assert OutgoingMail.objects.count() == calls[0]
    told = _told()
    assert {n.recipient.email for n in Notification.objects.filter(pk__in=told)} == (
        set(OutgoingMail.objects.values_list("to_email", flat=True))
    )
    monkeypatch.setattr(mail, "outbox_queue", queue)
    assert mail.digests_send(period=Delivery.DAILY) == everyone - calls[0]
    assert _digests() == digests
    assert _told() == expected


def test_a_batch_whose_news_someone_else_told_writes_nothing(people):
    """The guard a batch ends with: when its UPDATE finds some of what it read
    already marked, it raises and its transaction takes back all it wrote."""
    first = people[0]
    ids = list(
        Notification.objects.filter(recipient=first).values_list("pk", flat=True)
    )
    Notification.objects.filter(pk=ids[0]).update(emailed_at=timezone.now())
    with pytest.raises(mail._Raced), transaction.atomic():
        mail._queue([QueuedMail(first.email, "s", "b")], ids)
    assert not OutgoingMail.objects.exists()
    assert _told() == {ids[0]}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_digest_once(event_kind):
    """A second run commits while the first is between reading a batch and
    marking it: the first reads the batch again and finds nothing left."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: runs cannot overlap")
    dream = DreamFactory()
    users = [UserFactory(preferred_language="fi") for _ in range(5)]
    for user in users:
        _note(user, dream)
    has_read, go_on = threading.Event(), threading.Event()
    choices = mail.delivery_choices
    first_run = []

    def pauses_once(**kwargs):
        if threading.current_thread().name == "first" and not has_read.is_set():
            has_read.set()
            assert go_on.wait(30)
        return choices(**kwargs)

    def run_first():
        try:
            first_run.append(mail.digests_send(period=Delivery.DAILY))
        finally:
            connection.close()

    mail.delivery_choices = pauses_once
    try:
        thread = threading.Thread(target=run_first, name="first")
        thread.start()
        assert has_read.wait(30)
        assert mail.digests_send(period=Delivery.DAILY) == 5
        go_on.set()
        thread.join(30)
    finally:
        mail.delivery_choices = choices
    assert first_run == [0]
    assert sorted(OutgoingMail.objects.values_list("to_email", flat=True)) == sorted(
        u.email for u in users
    )
