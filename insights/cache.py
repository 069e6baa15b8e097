"""The dashboards' tables from the cache, keyed by the scope and the rollups' state.

A table changes only when the rollups do (or the language of its labels), so the
key holds `RefreshState.refreshed_at`: a refresh makes every older entry
unreachable, and nothing needs deleting. One query (the state) per call.
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


def cached(metric: Callable[..., T], scope: Scope, *args: str) -> T:
    """`metric(scope, *args)`, computed once per scope, rollup state and language."""
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
        refreshed_at(),
        translation.get_language(),
    )
    key = "insights:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    return cache.get_or_set(key, lambda: metric(scope, *args), CACHE_SECONDS)
