"""Request limits shared across processes (the cache), stated in response headers."""

import hashlib
import time

from django.conf import settings

from core.ratelimit import client_ip, hits, limit_exceeded

WINDOW_SECONDS = 60


def anonymous_limit() -> int:
    return getattr(settings, "OPENDATA_ANON_PER_MINUTE", 60)


def check(request) -> tuple[bool, int, int, int]:
    """(allowed, limit, remaining, retry_after) for this request, counting it."""
    limit = anonymous_limit()
    # Only a hash of the address is kept in the cache key.
    key = "od:" + hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    exceeded = limit_exceeded(key, limit=limit, window_seconds=WINDOW_SECONDS)
    used = hits(key, window_seconds=WINDOW_SECONDS)
    retry_after = WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
    return not exceeded, limit, max(limit - used, 0), retry_after


def add_headers(response, limit: int, remaining: int, retry_after: int, allowed: bool):
    response["X-RateLimit-Limit"] = str(limit)
    response["X-RateLimit-Remaining"] = str(remaining)
    if not allowed:
        response["Retry-After"] = str(retry_after)
    return response
