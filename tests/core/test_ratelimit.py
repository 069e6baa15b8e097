"""The two rate limiters: the cache counter every write path uses, and the
in-process token bucket of a WebSocket connection. Pure, no database."""

import pytest

from core import ratelimit
from core.errors import RateLimited
from core.ratelimit import TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(ratelimit.time, "monotonic", fake)
    monkeypatch.setattr(ratelimit.time, "time", fake)
    return fake


def test_bucket_allows_a_burst_then_refuses(clock):
    bucket = TokenBucket(rate=10, burst=20, updated=clock.now)
    assert [bucket.take() for _ in range(20)] == [True] * 20
    assert bucket.take() is False


def test_bucket_refills_at_its_rate_and_never_beyond_the_burst(clock):
    bucket = TokenBucket(rate=10, burst=20, updated=clock.now)
    for _ in range(20):
        bucket.take()
    clock.now += 0.25  # 2.5 tokens
    assert [bucket.take() for _ in range(3)] == [True, True, False]
    clock.now += 3600  # an hour idle saves up only the burst
    assert sum(bucket.take() for _ in range(25)) == 20


def test_bucket_refusals_do_not_cost_tokens(clock):
    bucket = TokenBucket(rate=1, burst=1, updated=clock.now)
    assert bucket.take()
    assert not bucket.take()
    assert not bucket.take()
    clock.now += 1
    assert bucket.take()


def test_bucket_of_bytes_spends_a_cost_at_once(clock):
    """The realtime byte budget: 1,000 bytes a second, 4,000 saved up."""
    bucket = TokenBucket(rate=1000, burst=4000, updated=clock.now)
    assert bucket.take(3000)
    assert not bucket.take(1500)  # refused whole, nothing spent
    assert bucket.take(1000)
    clock.now += 2
    assert bucket.take(2000)
    assert not bucket.take(1)


def test_counter_limits_per_key_within_its_window(clock):
    hits = [
        ratelimit.limit_exceeded("t:a", limit=3, window_seconds=60) for _ in range(4)
    ]
    assert hits == [False, False, False, True]
    # Another key has its own count.
    assert not ratelimit.limit_exceeded("t:b", limit=3, window_seconds=60)
    assert ratelimit.hits("t:a", window_seconds=60) == 4


def test_counter_starts_again_in_the_next_window_and_after_reset(clock):
    for _ in range(4):
        ratelimit.limit_exceeded("t:a", limit=3, window_seconds=60)
    clock.now += 60
    assert not ratelimit.limit_exceeded("t:a", limit=3, window_seconds=60)
    ratelimit.reset("t:a", window_seconds=60)
    assert ratelimit.hits("t:a", window_seconds=60) == 0


def test_check_rate_refuses_the_write_over_the_limit_with_the_services_error():
    for _ in range(2):
        ratelimit.check_rate("t:write", limit=2)
    with pytest.raises(RateLimited) as refused:
        ratelimit.check_rate("t:write", limit=2, message="Hidas!")
    assert (refused.value.code, refused.value.messages) == ("rate_limited", ["Hidas!"])
    ratelimit.check_rate("t:other", limit=2)  # another key keeps its own count
