"""Request limits shared across processes (the cache), stated in response headers.

Anonymous clients get OPENDATA_ANON_PER_MINUTE (60) requests a minute, counted per
address; a client that sends an API key issued in the admin
(`Authorization: Api-Key <key>` or `X-Api-Key: <key>`) gets
OPENDATA_KEY_PER_MINUTE (600), counted per key. A key that is wrong, revoked or
expired is refused with 401 rather than quietly served at the anonymous rate: a
client that believes it has 600 requests a minute should learn at once that it
has not.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException

from core.ratelimit import client_ip, hits, limit_exceeded

WINDOW_SECONDS = 60
KEY_SCHEME = "Api-Key"


class InvalidApiKey(APIException):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = (
        "This API key is not valid: it is wrong, revoked or expired. Send a valid "
        "key, or none at all for the anonymous limit."
    )
    default_code = "invalid_api_key"


@dataclass(frozen=True)
class Rate:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window starts again


def anonymous_limit() -> int:
    return getattr(settings, "OPENDATA_ANON_PER_MINUTE", 60)


def key_limit() -> int:
    return getattr(settings, "OPENDATA_KEY_PER_MINUTE", 600)


def key_from(request) -> str | None:
    """The API key the client sent, if any (`None` when it sent none)."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == KEY_SCHEME.lower():
        return value.strip()
    if "X-Api-Key" in request.headers:
        return request.headers["X-Api-Key"].strip()
    return None


def api_key_for(key: str):
    """The usable ApiKey for `key`; raises InvalidApiKey otherwise."""
    from opendata.models import ApiKey

    try:
        api_key = ApiKey.objects.get_from_key(key)
    except ApiKey.DoesNotExist:
        raise InvalidApiKey() from None
    if api_key.has_expired:
        raise InvalidApiKey()
    # Record use at most once a minute per key, not on every request.
    if cache.add(f"od:key-used:{api_key.prefix}", 1, timeout=WINDOW_SECONDS):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    return api_key


def check(request) -> Rate:
    """The rate for this request, counting it; raises InvalidApiKey for a bad key."""
    key = key_from(request)
    if key is not None:
        api_key = api_key_for(key)
        limit = key_limit()
        counter = f"od:key:{api_key.prefix}"
    else:
        limit = anonymous_limit()
        # Only a hash of the address is kept in the cache key.
        counter = "od:" + hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    exceeded = limit_exceeded(counter, limit=limit, window_seconds=WINDOW_SECONDS)
    used = hits(counter, window_seconds=WINDOW_SECONDS)
    reset = WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
    return Rate(not exceeded, limit, max(limit - used, 0), reset)


def add_headers(response, rate: Rate):
    response["X-RateLimit-Limit"] = str(rate.limit)
    response["X-RateLimit-Remaining"] = str(rate.remaining)
    response["X-RateLimit-Reset"] = str(rate.reset)
    if not rate.allowed:
        response["Retry-After"] = str(rate.reset)
    return response
