"""Rate limits shared by every write path and the APIs.

`limit_exceeded` counts hits in the cache (Redis in production, so the limit holds
across processes); `TokenBucket` is the in-process limiter for one WebSocket
connection, where a cache round trip per message would cost more than the message.
`api_rate` is the per-minute limit of an API, counted per address for anonymous
clients and per key for clients sending an API key (`core.apikeys`), and
`add_rate_headers` states it in the response.
"""

import hashlib
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from core.errors import RateLimited

HOUR = 3600


def limit_exceeded(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; True when it is over `limit` in the current window."""
    bucket = int(time.time() // window_seconds)
    return _count(f"rl:{key}:{bucket}", timeout=window_seconds + 1) > limit


def _count(cache_key: str, *, timeout: int) -> int:
    """Add one to the counter `cache_key` (made with `timeout`); the new count.

    On Redis one round trip (a pipeline of SET NX and INCR): a chat message
    checks two limits, and each round trip holds the socket's database thread.
    The value is the plain integer django-redis stores for `cache.incr`, so
    `hits` and `reset` read and clear it alike.
    """
    client = getattr(cache, "client", None)
    if hasattr(client, "get_client"):  # django-redis
        key = client.make_key(cache_key)
        try:
            pipe = client.get_client(write=True).pipeline(transaction=False)
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incr(key)
            return int(pipe.execute()[1])
        except RedisError as error:  # as django-redis reports its own failures
            raise ConnectionInterrupted(connection=client) from error
    cache.add(cache_key, 0, timeout=timeout)
    try:
        return cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=timeout)
        return 1


def check_rate(
    key: str, *, limit: int, window_seconds: int = HOUR, message: str | None = None
) -> None:
    """Count one write for `key`; refuse it with `RateLimited` once over `limit`
    in the window. The services' one way to rate-limit a person or an address."""
    if limit_exceeded(key, limit=limit, window_seconds=window_seconds):
        raise RateLimited(
            message
            or _("You have done that many times in a short while. Try again later."),
            code="rate_limited",
        )


def count_hit(key: str, *, window_seconds: int) -> int:
    """Count one hit for `key` atomically and return the count so far.

    The window starts at the key's first hit (not at a clock boundary), so a
    limit reached just before a boundary still holds for the whole window.
    """
    cache_key = f"rl:hit:{key}"
    if cache.add(cache_key, 0, timeout=window_seconds):
        cache.set(f"rl:since:{key}", time.time(), timeout=window_seconds)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        return 1


def uncount_hit(key: str) -> None:
    """Take back one hit counted by `count_hit` (an attempt that did not count)."""
    try:
        cache.decr(f"rl:hit:{key}")
    except ValueError:  # already expired: nothing to take back
        pass


def forget_hits(key: str) -> None:
    cache.delete_many([f"rl:hit:{key}", f"rl:since:{key}"])


def seconds_until_forgotten(key: str, *, window_seconds: int) -> int:
    """Seconds until the hits counted by `count_hit` for `key` expire."""
    since = cache.get(f"rl:since:{key}")
    if since is None:
        return window_seconds
    return max(1, int(since + window_seconds - time.time()))


def hits(key: str, *, window_seconds: int) -> int:
    """How many hits `key` has in the current window (without counting one)."""
    bucket = int(time.time() // window_seconds)
    return int(cache.get(f"rl:{key}:{bucket}", 0))


def reset(key: str, *, window_seconds: int) -> None:
    bucket = int(time.time() // window_seconds)
    cache.delete(f"rl:{key}:{bucket}")


@dataclass
class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up.

    `take(cost)` spends several tokens at once: a byte budget is a bucket whose
    tokens are bytes.
    """

    rate: float
    burst: float
    tokens: float = field(default=-1.0)
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def take(self, cost: float = 1) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False


def client_ip(request) -> str:
    """The client's address as the server saw it (the proxy sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


API_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Rate:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window starts again


def api_rate(request, *, name: str, anonymous_limit: int, key_limit: int) -> Rate:
    """Count this request against the API `name`'s limit a minute; a client with
    a key gets `key_limit`. Raises `core.apikeys.InvalidApiKey` for a bad key."""
    from core.apikeys import request_api_key

    api_key = request_api_key(request)
    if api_key is not None:
        limit = key_limit
        counter = f"{name}:key:{api_key.prefix}"
    else:
        limit = anonymous_limit
        # Only a hash of the address is kept in the cache key.
        address = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
        counter = f"{name}:{address}"
    window = API_WINDOW_SECONDS
    exceeded = limit_exceeded(counter, limit=limit, window_seconds=window)
    used = hits(counter, window_seconds=window)
    reset = window - int(time.time()) % window
    return Rate(not exceeded, limit, max(limit - used, 0), reset)


def add_rate_headers(response, rate: Rate):
    """State `rate` in the response's X-RateLimit-* (and Retry-After) headers."""
    response["X-RateLimit-Limit"] = str(rate.limit)
    response["X-RateLimit-Remaining"] = str(rate.remaining)
    response["X-RateLimit-Reset"] = str(rate.reset)
    if not rate.allowed:
        response["Retry-After"] = str(rate.reset)
    return response
