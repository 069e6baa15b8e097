"""The desk's named rules: who advises which chats, holds, supervises, publishes."""

import pytest
import rules

from accounts.models import Role
from accounts.services import role_grant
from advice.models import AdvisorStatus, Chat, ChatMember, ChatStatus
from tests.advice.conftest import start
from tests.advice.factories import advisor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_advise_needs_the_city_role_and_the_language(open_desk, other_city, aino):
    chat, _ = start(open_desk)
    swedish, _ = start(open_desk, language="sv", email="a@example.org")
    assert rules.has_perm("advice.advise", aino.user, chat)
    assert not rules.has_perm("advice.advise", aino.user, swedish)
    turku = Chat(city=other_city, language="fi")
    assert not rules.has_perm("advice.advise", aino.user, turku)
    assert rules.has_perm("advice.advise", aino.user, Chat(city=None, language="ru"))
    # The role alone, without a profile, advises nothing.
    bare = UserFactory()
    role_grant(user=bare, city=open_desk, role=Role.ADVISOR)
    assert not rules.has_perm("advice.advise", bare, chat)
    assert not rules.has_perm("advice.use_desk", bare)
    assert rules.has_perm("advice.use_desk", aino.user)


def test_hold_is_the_advisor_of_an_active_chat(open_desk, aino):
    other = advisor(open_desk, ("fi",), status=AdvisorStatus.AWAY)
    chat, _ = start(open_desk)
    assert not rules.has_perm("advice.hold_chat", aino.user, chat)
    Chat.objects.filter(pk=chat.pk).update(status=ChatStatus.ACTIVE, advisor=aino)
    chat.refresh_from_db()
    assert rules.has_perm("advice.hold_chat", aino.user, chat)
    assert not rules.has_perm("advice.hold_chat", other.user, chat)


def test_supervise_and_publish(open_desk, other_city, aino):
    boss = UserFactory()
    role_grant(user=boss, city=open_desk, role=Role.ADVICE_SUPERVISOR)
    assert rules.has_perm("advice.supervise", boss, open_desk)
    assert not rules.has_perm("advice.supervise", boss, other_city)
    assert rules.has_perm("advice.supervise", boss)
    assert rules.has_perm("advice.use_desk", boss)
    assert not rules.has_perm("advice.supervise", aino.user, open_desk)
    chat, _ = start(open_desk)
    assert rules.has_perm("advice.publish_answer", boss, chat)
    assert not rules.has_perm("advice.publish_answer", aino.user, chat)
    ChatMember.objects.create(chat=chat, role="advisor", advisor=aino)
    assert rules.has_perm("advice.publish_answer", aino.user, chat)
    assert not rules.has_perm("advice.use_desk", UserFactory())
