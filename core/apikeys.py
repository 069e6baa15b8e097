"""API keys: issuing and revoking them, reading the one a request sends, and
requiring a scope of it.

Programs send a key as `Authorization: Api-Key <key>` or `X-Api-Key: <key>`.
Each key carries scopes (`SCOPES`); every key has `read`, which gives the open
data API and downloads their higher request limit. A key that is wrong, revoked
or expired is refused with 401 wherever it is sent, rather than quietly treated
as no key: a client that believes it has a key's rights should learn at once
that it has not.

An API view that needs a scope declares

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKeyScope(FEEDBACK_WRITE)]

and answers 401 without a usable key, 403 for a valid key without the scope.
Administrators issue keys in the Wagtail admin (opendata's screen) and operators
with `manage.py issue_api_key`; both go through `api_key_issue`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import rules
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission

from core.errors import Forbidden, Invalid
from core.models import ApiKey
from core.sanitize import clean_text

KEY_SCHEME = "Api-Key"
READ = "read"
FEEDBACK_WRITE = "feedback:write"
# Every scope a key can carry, in the order they are stored; `read` comes first
# and every key has it (a database constraint holds that).
SCOPES: dict[str, Any] = {
    READ: gettext_lazy("Read: the open data API's higher request limit"),
    FEEDBACK_WRITE: gettext_lazy("Post feedback through the feedback API"),
}
# Recording use at most once a minute per key, not on every request.
USE_RECORD_SECONDS = 60

# Who issues a key from the command line: the operator, who already holds the
# server, rather than a user of the site.
OPERATOR = object()


# The refusals of a key are read by the developers of programs, in their logs:
# they stay in English whatever the request's language (as the open data API's
# always were), and carry a stable code.
class InvalidApiKey(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = (
        "This API key is not valid: it is wrong, revoked or expired. Send a valid "
        "key, or none at all for the anonymous limit."
    )
    default_code = "invalid_api_key"
    # DRF's exception handler turns this into the WWW-Authenticate header.
    auth_header = KEY_SCHEME


class ApiKeyRequired(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = (
        "This API needs an API key: send it as “Authorization: Api-Key <key>”."
    )
    default_code = "api_key_required"
    auth_header = KEY_SCHEME


class MissingScope(APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "missing_scope"


def key_from(request) -> str | None:
    """The API key the client sent, if any (`None` when it sent none)."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == KEY_SCHEME.lower():
        return value.strip()
    if "X-Api-Key" in request.headers:
        return request.headers["X-Api-Key"].strip()
    return None


def api_key_for(key: str) -> ApiKey:
    """The usable ApiKey for `key`; raises InvalidApiKey otherwise."""
    try:
        api_key = ApiKey.objects.get_from_key(key)
    except ApiKey.DoesNotExist:
        raise InvalidApiKey() from None
    if api_key.has_expired:
        raise InvalidApiKey()
    if cache.add(f"apikey-used:{api_key.prefix}", 1, timeout=USE_RECORD_SECONDS):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    return api_key


def request_api_key(request) -> ApiKey | None:
    """The usable key this request sent, or None when it sent none; raises
    InvalidApiKey for a bad one. Looked up once per request."""
    request = getattr(request, "_request", request)  # DRF's wraps Django's
    if not hasattr(request, "_api_key"):
        key = key_from(request)
        request._api_key = None if key is None else api_key_for(key)
    return request._api_key


class ApiKeyAuthentication:
    """DRF authentication by API key: `request.auth` is the ApiKey (no user)."""

    def authenticate(self, request) -> tuple[None, ApiKey] | None:
        api_key = request_api_key(request)
        return None if api_key is None else (None, api_key)

    def authenticate_header(self, request) -> str:
        return KEY_SCHEME


class HasApiKeyScope(BasePermission):
    """Require a key with `scope`: `permission_classes = [HasApiKeyScope(...)]`."""

    def __init__(self, scope: str) -> None:
        if scope not in SCOPES:
            raise ValueError(f"Unknown API key scope {scope!r}")
        self.scope = scope

    def __call__(self) -> HasApiKeyScope:
        # DRF instantiates each entry of permission_classes; this one already is.
        return self

    def has_permission(self, request, view) -> bool:
        api_key = request_api_key(request)
        if api_key is None:
            raise ApiKeyRequired()
        if not api_key.has_scope(self.scope):
            raise MissingScope(
                f"This API key may not do this: it lacks the scope “{self.scope}”."
            )
        return True


def scopes_clean(scopes: Iterable[str]) -> str:
    """`scopes` as stored: known ones only, `read` always, in SCOPES order."""
    wanted = {clean_text(scope).strip() for scope in scopes} - {""}
    unknown = sorted(wanted - set(SCOPES))
    if unknown:
        raise Invalid(
            _("Unknown scope: %(scopes)s. Scopes: %(known)s.")
            % {"scopes": ", ".join(unknown), "known": ", ".join(SCOPES)},
            field="scopes",
            code="unknown_scope",
        )
    return " ".join(scope for scope in SCOPES if scope == READ or scope in wanted)


def _require_manager(user) -> None:
    if user is not OPERATOR and not rules.has_perm("core.manage_api_keys", user):
        raise Forbidden(_("Only administrators can manage API keys."))


@transaction.atomic
def api_key_issue(
    *,
    user,
    name: str,
    owner: str,
    scopes: Iterable[str] = (READ,),
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiKey, str]:
    """Issue a key; returns (ApiKey, key). Only a hash is stored: the key is
    shown to the issuer this once. `user` is an administrator or `OPERATOR`."""
    _require_manager(user)
    name, owner = clean_text(name).strip(), clean_text(owner).strip()
    # The first problem found, on its field (the admin form shows it there).
    if not name:
        raise Invalid(_("Give the key a name."), field="name")
    if len(name) > 50:
        raise Invalid(_("At most 50 characters."), field="name")
    if not owner:
        raise Invalid(_("Say who uses the key and how to reach them."), field="owner")
    if len(owner) > 200:
        raise Invalid(_("At most 200 characters."), field="owner")
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid(_("The expiry date must be in the future."), field="expiry_date")
    stored_scopes = scopes_clean(scopes)
    return ApiKey.objects.create_key(
        name=name, owner=owner, scopes=stored_scopes, expiry_date=expires_at
    )


@transaction.atomic
def api_key_revoke(*, user, api_key: ApiKey) -> None:
    """Revoke a key for good: requests that send it are refused from now on."""
    _require_manager(user)
    # One conditional update: of two administrators revoking at once, one is told.
    if not ApiKey.objects.filter(pk=api_key.pk, revoked=False).update(revoked=True):
        raise Invalid(_("This key is already revoked."), code="gone")
    api_key.revoked = True
