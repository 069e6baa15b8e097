"""The named permissions of ideas/rules.py: who may, and who may not."""

import uuid

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from ideas.models import DreamStatus
from ideas.rules import DreamPair
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory, allow_anonymous

pytestmark = pytest.mark.django_db

TRIAGE_RULES = ("ideas.triage_dream", "ideas.link_dream")


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def moderator(city):
    user = UserFactory(display_name="Moderator")
    role_grant(user=user, city=city, role=Role.MODERATOR)
    return user


@pytest.mark.parametrize("name", TRIAGE_RULES)
def test_triage_rules_by_role(
    name,
    city,
    facilitator,
    editor,
    moderator,
    resident,
    other_city_facilitator,
    superuser,
):
    dream = DreamFactory(city=city)
    assert rules.has_perm(name, facilitator, dream)
    assert rules.has_perm(name, editor, dream)
    assert rules.has_perm(name, superuser, dream)
    assert not rules.has_perm(name, moderator, dream)
    assert not rules.has_perm(name, resident, dream)
    assert not rules.has_perm(name, AnonymousUser(), dream)
    assert not rules.has_perm(name, None, dream)
    # Another city's staff do not follow this city's dreams.
    assert not rules.has_perm(name, other_city_facilitator, dream)


@pytest.mark.parametrize("name", TRIAGE_RULES)
def test_all_city_dreams_are_any_citys_staffs(name, other_city_facilitator, resident):
    dream = DreamFactory(city=None)
    assert rules.has_perm(name, other_city_facilitator, dream)
    assert not rules.has_perm(name, resident, dream)
    assert not rules.has_perm(name, AnonymousUser(), dream)


def test_inactive_staff_triage_nothing(city, facilitator):
    dream = DreamFactory(city=city)
    facilitator.is_active = False
    assert not rules.has_perm("ideas.triage_dream", facilitator, dream)
    assert not rules.has_perm("ideas.triage_dream", facilitator, None)


def test_merge_needs_both_dreams(city, other_city, facilitator, other_city_facilitator):
    here, also_here = DreamFactory(city=city), DreamFactory(city=city)
    there = DreamFactory(city=other_city)
    assert rules.has_perm("ideas.merge_dreams", facilitator, DreamPair(here, also_here))
    assert not rules.has_perm("ideas.merge_dreams", facilitator, DreamPair(here, there))
    assert not rules.has_perm("ideas.merge_dreams", facilitator, DreamPair(there, here))
    assert not rules.has_perm(
        "ideas.merge_dreams", other_city_facilitator, DreamPair(here, also_here)
    )
    assert not rules.has_perm(
        "ideas.merge_dreams", AnonymousUser(), DreamPair(here, also_here)
    )


def test_tell_dream(city, resident):
    key = uuid.uuid4()
    anonymous = Actor(anonymous_key=key)
    assert rules.has_perm("ideas.tell_dream", Actor(user=resident), city)
    assert rules.has_perm("ideas.tell_dream", Actor(user=resident), None)
    assert not rules.has_perm("ideas.tell_dream", anonymous, city)
    allow_anonymous(city)
    assert rules.has_perm("ideas.tell_dream", anonymous, city)
    # All-city dreams need a dreamer who logged in.
    assert not rules.has_perm("ideas.tell_dream", anonymous, None)


def test_support_dream(city, resident, other_resident):
    dream = DreamFactory(city=city, author=resident)
    assert rules.has_perm("ideas.support_dream", Actor(user=other_resident), dream)
    # A `User` (as templates pass) is read as that user's actor.
    assert rules.has_perm("ideas.support_dream", other_resident, dream)
    assert not rules.has_perm("ideas.support_dream", Actor(user=resident), dream)
    assert not rules.has_perm("ideas.support_dream", AnonymousUser(), dream)
    visitor = Actor(anonymous_key=uuid.uuid4())
    assert not rules.has_perm("ideas.support_dream", visitor, dream)
    allow_anonymous(city)
    assert rules.has_perm("ideas.support_dream", visitor, dream)
    for status in (DreamStatus.MERGED, DreamStatus.NOT_PURSUED):
        dream.status = status
        assert not rules.has_perm("ideas.support_dream", visitor, dream)
        assert not rules.has_perm("ideas.support_dream", other_resident, dream)


def test_anonymous_dreamer_cannot_support_their_own(city):
    allow_anonymous(city)
    key = uuid.uuid4()
    dream = DreamFactory(city=city, author=None, nickname="Maija", anonymous_key=key)
    assert not rules.has_perm("ideas.support_dream", Actor(anonymous_key=key), dream)
    other = Actor(anonymous_key=uuid.uuid4())
    assert rules.has_perm("ideas.support_dream", other, dream)
