"""One anonymous actor: the session key every app reads (no database)."""

import uuid

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core.actors import (
    SESSION_KEY,
    Actor,
    actor_from_request,
    session_anonymous_key,
)

OLD_IDEAS_KEY = "ideas_anonymous_key"


def test_no_key_is_made_by_reading():
    session = {}
    assert session_anonymous_key(session) is None
    assert session == {}


def test_a_key_is_made_once_under_the_shared_name():
    session = {}
    key = session_anonymous_key(session, create=True)
    assert session == {SESSION_KEY: str(key)}
    assert session_anonymous_key(session, create=True) == key
    assert session_anonymous_key(session) == key


def test_ideas_old_key_alone_is_read_then_adopted():
    old = uuid.uuid4()
    session = {OLD_IDEAS_KEY: str(old)}
    assert session_anonymous_key(session) == old
    assert session == {OLD_IDEAS_KEY: str(old)}  # reading writes nothing
    assert session_anonymous_key(session, create=True) == old
    assert session == {SESSION_KEY: str(old)}


def test_with_both_keys_the_shared_one_wins():
    shared, old = uuid.uuid4(), uuid.uuid4()
    session = {SESSION_KEY: str(shared), OLD_IDEAS_KEY: str(old)}
    assert session_anonymous_key(session) == shared
    assert session_anonymous_key(session, create=True) == shared
    assert session == {SESSION_KEY: str(shared)}


def test_a_broken_key_is_no_key_not_an_error():
    session = {SESSION_KEY: "not-a-uuid", OLD_IDEAS_KEY: 42}
    assert session_anonymous_key(session) is None
    key = session_anonymous_key(session, create=True)
    assert session == {SESSION_KEY: str(key)}


def test_actor_from_request_for_anonymous_and_registered():
    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    request.user = AnonymousUser()
    request.session = {}
    assert actor_from_request(request).anonymous_key is None
    actor = actor_from_request(request, nickname="Maija", create_key=True)
    assert actor.anonymous_key == uuid.UUID(request.session[SESSION_KEY])
    assert actor.nickname == "Maija" and not actor.is_registered
    assert actor.identity == f"a{actor.anonymous_key}"

    class Member:
        pk = 7
        is_authenticated = True

    request.user = Member()
    member = actor_from_request(request, create_key=True)
    assert member.user is request.user and member.anonymous_key is None
    assert member.is_registered and member.identity == "u7"


def test_nobody_has_no_identity():
    assert Actor().identity == ""


def test_a_row_records_the_user_or_else_the_key_and_a_keyless_visitor_owns_nothing():
    key = uuid.uuid4()

    class Registered:
        is_authenticated = True
        pk = 7

    user = Registered()
    assert Actor(user=user, anonymous_key=key).owner_fields() == {
        "user": user,
        "anonymous_key": None,
    }
    assert Actor(anonymous_key=key).owner_fields(user_field="author") == {
        "author": None,
        "anonymous_key": key,
    }
    assert Actor(user=user).owner_filter() == {"user": user}
    assert Actor(anonymous_key=key).owner_filter() == {"anonymous_key": key}
    assert Actor(user=AnonymousUser()).owner_filter() is None
