"""Who is acting on the public site: one type, one session key, for every app.

An `Actor` is a signed-in user, or an anonymous visitor known by the random
`anonymous_key` kept in their session (with the nickname they gave and their
address, for rate limits). Discussions (comments, likes, reports) and ideas (dreams,
supports) store that key on the rows the visitor makes, so a visitor who supports a
dream and comments on it is one person with one key. Workshop board participants
are another concept (`workshops.Participant`, joined with a code) and not actors.

The session key is the name discussions used before (`participation_anonymous_key`),
so anonymous commenters keep owning their comments. A session that holds only
ideas' old key (`ideas_anonymous_key`) is read as that key, and adopted under the
shared name the next time the visitor acts; when a session holds both, the shared
key wins (see README, "One anonymous actor").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.ratelimit import client_ip

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.sessions.backends.base import SessionBase
    from django.http import HttpRequest

SESSION_KEY = "participation_anonymous_key"
# Keys older versions kept for the same visitor, read when SESSION_KEY is missing.
LEGACY_SESSION_KEYS = ("ideas_anonymous_key",)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, or an anonymous visitor with the random
    key kept in their session (and the nickname they gave)."""

    user: AbstractBaseUser | None = None
    anonymous_key: uuid.UUID | None = None
    nickname: str = ""
    ip: str = ""

    @property
    def is_registered(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def identity(self) -> str:
        """A stable name for rate limits: `u<pk>`, `a<key>`, or "" for nobody."""
        if self.is_registered:
            return f"u{self.user.pk}"
        return f"a{self.anonymous_key}" if self.anonymous_key else ""

    def owner_fields(
        self, user_field: str = "user", key_field: str = "anonymous_key"
    ) -> dict:
        """The columns that record this actor on a new row: the user, or else
        the session key (the other one empty)."""
        registered = self.is_registered
        return {
            user_field: self.user if registered else None,
            key_field: None if registered else self.anonymous_key,
        }

    def owner_filter(
        self, user_field: str = "user", key_field: str = "anonymous_key"
    ) -> dict | None:
        """Lookups for this actor's own rows; None for a visitor without a key
        (who owns nothing: never match every keyless row)."""
        if self.is_registered:
            return {user_field: self.user}
        if self.anonymous_key is None:
            return None
        return {key_field: self.anonymous_key}


def as_uuid(value: object) -> uuid.UUID | None:
    """`value` as a UUID, or None when it is not a string holding one."""
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def session_anonymous_key(
    session: SessionBase, *, create: bool = False
) -> uuid.UUID | None:
    """The visitor's anonymous key from `session`; with `create`, one is made (or
    an older key adopted) and stored under `SESSION_KEY`.

    Without `create` the session is only read, so pages shown on GET write nothing.
    """
    key = as_uuid(session.get(SESSION_KEY))
    if key is not None:
        if create:
            for legacy in LEGACY_SESSION_KEYS:
                session.pop(legacy, None)
        return key
    for legacy in LEGACY_SESSION_KEYS:
        key = as_uuid(session.get(legacy))
        if key is not None:
            break
    if not create:
        return key
    key = key or uuid.uuid4()
    session[SESSION_KEY] = str(key)
    for legacy in LEGACY_SESSION_KEYS:
        session.pop(legacy, None)
    return key


def actor_from_request(
    request: HttpRequest, *, nickname: str = "", create_key: bool = False
) -> Actor:
    """The acting person; with `create_key`, an anonymous visitor gets a key."""
    ip = client_ip(request)
    if request.user.is_authenticated:
        return Actor(user=request.user, ip=ip)
    key = session_anonymous_key(request.session, create=create_key)
    return Actor(anonymous_key=key, nickname=nickname, ip=ip)
