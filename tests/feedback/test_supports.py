"""The "me too" services and the item's comment thread."""

import uuid

import pytest

from core.actors import Actor
from core.errors import Conflict, Forbidden, Invalid, RateLimited
from feedback.models import FeedbackSupport, Visibility
from feedback.services import supports
from feedback.services.supports import (
    item_discussion,
    item_support,
    item_support_withdraw,
)
from tests.feedback.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def _count(item) -> int:
    item.refresh_from_db()
    return item.support_count


def test_a_user_supports_once(service, resident):
    item = FeedbackItemFactory(service=service)
    actor = Actor(user=resident)
    assert item_support(item=item, actor=actor) is True
    assert item_support(item=item, actor=actor) is False
    assert _count(item) == 1
    assert item_support_withdraw(item=item, actor=actor) is True
    assert item_support_withdraw(item=item, actor=actor) is False
    assert _count(item) == 0


def test_an_anonymous_visitor_supports_by_key(service):
    item = FeedbackItemFactory(service=service)
    key = uuid.uuid4()
    assert item_support(item=item, actor=Actor(anonymous_key=key))
    assert not item_support(item=item, actor=Actor(anonymous_key=key))
    assert item_support(item=item, actor=Actor(anonymous_key=uuid.uuid4()))
    assert _count(item) == 2
    assert FeedbackSupport.objects.filter(anonymous_key=key, user=None).count() == 1


def test_nobody_known_is_refused(service):
    item = FeedbackItemFactory(service=service)
    # Supports a key-less filter would match if it matched "no key".
    FeedbackSupport.objects.create(item=item, user=None, anonymous_key=None)
    assert item_support(item=item, actor=Actor(anonymous_key=uuid.uuid4()))
    with pytest.raises(Forbidden):
        item_support(item=item, actor=Actor())
    assert not item_support_withdraw(item=item, actor=Actor())
    assert FeedbackSupport.objects.filter(item=item).count() == 2


@pytest.mark.parametrize(
    "fields", [{"visibility": Visibility.PRIVATE}, {"visibility": Visibility.PENDING}]
)
def test_a_hidden_item_takes_no_support(service, resident, fields):
    item = FeedbackItemFactory(service=service, **fields)
    with pytest.raises(Invalid):
        item_support(item=item, actor=Actor(user=resident))
    assert not FeedbackSupport.objects.exists()


def test_a_merged_duplicate_takes_no_support(service, resident):
    stays = FeedbackItemFactory(service=service)
    duplicate = FeedbackItemFactory(service=service, merged_into=stays)
    with pytest.raises(Conflict):
        item_support(item=duplicate, actor=Actor(user=resident))
    assert _count(duplicate) == 0 and not FeedbackSupport.objects.exists()


def test_supports_are_rate_limited(service, monkeypatch):
    monkeypatch.setattr(supports, "SUPPORTS_PER_PERSON_PER_HOUR", 2)
    key = uuid.uuid4()
    items = [FeedbackItemFactory(service=service) for _ in range(3)]
    item_support(item=items[0], actor=Actor(anonymous_key=key))
    item_support(item=items[1], actor=Actor(anonymous_key=key))
    with pytest.raises(RateLimited):
        item_support(item=items[2], actor=Actor(anonymous_key=key))
    assert _count(items[2]) == 0


def test_the_thread_is_made_once_for_a_public_item(service):
    item = FeedbackItemFactory(service=service)
    discussion = item_discussion(item=item)
    assert item_discussion(item=item) == discussion
    assert discussion.allow_anonymous and discussion.city == service.city
    assert discussion.url == item.get_absolute_url()
    # Not the title, which a handler may redact later.
    assert (
        item.public_title not in discussion.title and str(item.pk) in discussion.title
    )


def test_a_hidden_item_gets_no_thread(service):
    item = FeedbackItemFactory(service=service, visibility=Visibility.PRIVATE)
    with pytest.raises(Invalid):
        item_discussion(item=item)


def test_supports_appear_in_the_activity_of_public_items_only(
    client, service, resident
):
    shown = FeedbackItemFactory(service=service, public_title="Tuettu palaute")
    hidden = FeedbackItemFactory(service=service, public_title="Piilotettu palaute")
    item_support(item=shown, actor=Actor(user=resident))
    item_support(item=hidden, actor=Actor(user=resident))
    hidden.visibility = Visibility.PRIVATE
    hidden.save()
    client.force_login(resident)
    body = client.get("/en/accounts/activity/").content.decode()
    assert "Tuettu palaute" in body and shown.get_absolute_url() in body
    assert "Piilotettu palaute" not in body
