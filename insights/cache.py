"""The dashboards' tables from the cache, keyed by the scope and the rollups' state.

A table changes only when the rollups do (or the language of its labels), so the
key holds `RefreshState.refreshed_at`: a refresh makes every older entry
unreachable, and nothing needs deleting. One query (the state) per call;
`cached_many` fetches a whole dashboard with that one query and one round trip.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import translation

from insights.rollups import refreshed_at
from insights.scope import Scope

T = TypeVar("T")
CACHE_SECONDS = 60 * 60


def _key(metric: Callable, scope: Scope, args: tuple, state: object) -> str:
    parts = (
        metric.__module__,
        metric.__name__,
        scope.city.pk,
        scope.service,
        scope.workshop,
        scope.dream_topic,
        scope.start,
        scope.end,
        scope.granularity,
        scope.public_only,
        args,
        state,
        translation.get_language(),
    )
    return "insights:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached(metric: Callable[..., T], scope: Scope, *args: str) -> T:
    """`metric(scope, *args)`, computed once per scope, rollup state and language."""
    key = _key(metric, scope, args, refreshed_at())
    return cache.get_or_set(key, lambda: metric(scope, *args), CACHE_SECONDS)


def cached_many(scope: Scope, calls: list[tuple[Callable, tuple]]) -> list:
    """A whole dashboard: [metric(scope, *args) for metric, args in calls], with
    one query and one cache round trip when warm."""
    state = refreshed_at()
    keys = [_key(metric, scope, args, state) for metric, args in calls]
    found = cache.get_many(keys)
    missing = {}
    for key, (metric, args) in zip(keys, calls, strict=True):
        if key not in found:
            missing[key] = found[key] = metric(scope, *args)
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return [found[key] for key in keys]
