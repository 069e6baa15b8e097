"""Notification e-mail: at once, daily and weekly digests, unsubscribing."""

from datetime import timedelta

import pytest
from django.core import mail as sent_mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.services import account_delete
from core.models import OutgoingMail
from notifications import mail
from notifications.models import (
    Delivery,
    DeliveryPreference,
    Follow,
    Notification,
)
from notifications.services import delivery_set, follow_create, notify
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory

STATUS = "ideas.dream_status"
REPLY = "discussions.reply"


@pytest.fixture
def dream(db):
    return DreamFactory(title="Iltakirjasto <script>")


def _follower(dream, language="fi", delivery=None, **fields):
    user = UserFactory(preferred_language=language, **fields)
    follow_create(user=user, target=dream)
    if delivery:
        delivery_set(user=user, deliveries={STATUS: delivery})
    return user


def test_at_once_mail_after_commit_in_language_with_unsubscribe_headers(
    dream, django_capture_on_commit_callbacks
):
    swede = _follower(dream, "sv", Delivery.IMMEDIATE)
    _follower(dream, "fi")  # a digest person: nothing at once
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=STATUS, target=dream)
    assert [m.to for m in sent_mail.outbox] == [[swede.email]]
    message = sent_mail.outbox[0]
    assert "Iltakirjasto <script>" in message.body  # plain text, as typed
    html = message.alternatives[0][0]
    assert "Iltakirjasto &lt;script&gt;" in html
    assert 'lang="sv"' in html
    assert (
        "/sv/accounts/notifications/unsubscribe/"
        in message.extra_headers["List-Unsubscribe"]
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert Notification.objects.get(recipient=swede).emailed_at is not None
    # The next digest does not repeat it.
    assert mail.digests_send(period=Delivery.DAILY) == 1  # only the other one


def test_daily_digest_one_mail_per_person_in_their_language(
    dream, django_capture_on_commit_callbacks
):
    finn = _follower(dream, "fi")
    swede = _follower(dream, "sv")
    weekly = _follower(dream, "en", Delivery.WEEKLY)
    never = _follower(dream, "fi", Delivery.NEVER)
    other = DreamFactory(title="Yöbussi")
    follow_create(user=finn, target=other)
    notify(kind=STATUS, target=dream)
    notify(kind=STATUS, target=other)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--daily", verbosity=0)
    by_to = {m.to[0]: m for m in sent_mail.outbox}
    assert set(by_to) == {finn.email, swede.email}
    assert "Iltakirjasto" in by_to[finn.email].body
    assert "Yöbussi" in by_to[finn.email].body
    assert by_to[finn.email].body.startswith("Hei ")
    assert by_to[swede.email].body.startswith("Hej ")
    assert 'lang="sv"' in by_to[swede.email].alternatives[0][0]
    assert "List-Unsubscribe" in by_to[swede.email].extra_headers
    # Run again: nothing repeated.
    assert mail.digests_send(period=Delivery.DAILY) == 0
    # The weekly one has its own digest; "never" gets none.
    assert mail.digests_send(period=Delivery.WEEKLY) == 1
    assert not OutgoingMail.objects.filter(to_email=never.email).exists()
    assert OutgoingMail.objects.filter(to_email=weekly.email).count() == 1


def test_digest_skips_read_and_hidden_and_old(dream, settings):
    reader = _follower(dream)
    notify(kind=STATUS, target=dream)
    Notification.objects.filter(recipient=reader).update(read_at=timezone.now())
    assert mail.digests_send(period=Delivery.DAILY) == 0
    Follow.objects.filter(user=reader).delete()
    late = _follower(dream)
    notify(kind=STATUS, target=dream)
    Notification.objects.filter(recipient=late).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    assert mail.digests_send(period=Delivery.DAILY) == 0


def test_nothing_is_sent_about_a_hidden_target_at_send_time(db):
    from tests.feedback.factories import FeedbackItemFactory

    item = FeedbackItemFactory(visibility="public")
    user = UserFactory()
    follow_create(user=user, target=item)
    assert notify(kind="feedback.answer", target=item) == 1
    item.visibility = "private"
    item.save(update_fields=["visibility"])
    assert mail.digests_send(period=Delivery.DAILY) == 0
    # Nor is anything made about it while it is hidden.
    assert notify(kind="feedback.answer", target=item) == 0


def test_digest_query_count_is_fixed_per_batch(dream, django_assert_max_num_queries):
    for _ in range(3):
        _follower(dream)
    notify(kind=STATUS, target=dream)
    with django_assert_max_num_queries(12):
        assert mail.digests_send(period=Delivery.DAILY) == 3
    for _ in range(6):
        _follower(dream)
    notify(kind=STATUS, target=dream)
    with django_assert_max_num_queries(12):
        assert mail.digests_send(period=Delivery.DAILY) == 9


def test_unsubscribe_get_changes_nothing_post_unsubscribes_without_login(client, dream):
    user = _follower(dream)
    token = mail.unsubscribe_token(user.pk, STATUS)
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert user.email in page.content.decode()
    assert not DeliveryPreference.objects.exists()
    response = client.post(url)  # no log-in, no CSRF token (a mail client)
    assert response.status_code == 200
    assert DeliveryPreference.objects.get(user=user, kind=STATUS).delivery == (
        Delivery.NEVER
    )
    notify(kind=STATUS, target=dream)
    assert mail.digests_send(period=Delivery.DAILY) == 0


def test_one_click_unsubscribe_from_everything(client, dream):
    user = _follower(dream)
    delivery_set(user=user, deliveries={REPLY: Delivery.IMMEDIATE})
    url = reverse("notifications:unsubscribe", args=[mail.unsubscribe_token(user.pk)])
    client.post(url, {"List-Unsubscribe": "One-Click"})
    assert set(
        DeliveryPreference.objects.filter(user=user).values_list("kind", "delivery")
    ) == {("", Delivery.NEVER), (REPLY, Delivery.NEVER)}
    notify(kind=STATUS, target=dream)
    assert mail.digests_send(period=Delivery.DAILY) == 0


@pytest.mark.parametrize("token", ["forged", "a" * 300, "WzEsIiJd:1abc:xyz"])
def test_forged_unsubscribe_link_is_a_clear_page(client, db, token):
    for method in (client.get, client.post):
        response = method(reverse("notifications:unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "does not work" in response.content.decode() or response.content
    assert not DeliveryPreference.objects.exists()


def test_expired_unsubscribe_link_is_a_clear_page(client, db, monkeypatch):
    user = UserFactory()
    token = mail.unsubscribe_token(user.pk)
    monkeypatch.setattr(mail, "TOKEN_MAX_AGE", timedelta(seconds=-1))
    response = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert not DeliveryPreference.objects.exists()


def test_deleted_account_takes_its_follows_and_notifications(dream):
    user = _follower(dream)
    delivery_set(user=user, deliveries={STATUS: Delivery.WEEKLY})
    notify(kind=STATUS, target=dream)
    account_delete(user=user)
    assert not Follow.objects.filter(user_id=user.pk).exists()
    assert not Notification.objects.filter(recipient_id=user.pk).exists()
    assert not DeliveryPreference.objects.filter(user_id=user.pk).exists()


def test_digest_jobs_are_registered():
    from core.jobs import registered_jobs

    jobs = registered_jobs()
    assert jobs["send_digests_daily"].args == ("--daily",)
    assert jobs["send_digests_weekly"].every == timedelta(days=7)
