"""The registry behind `/accounts/activity/`: what a person wrote or supported.

Each app registers a provider from its `AppConfig.ready()`::

    from accounts import activity
    activity.register("comments", comment_activity)

where `comment_activity(user, limit) -> list[ActivityItem]` returns at most
`limit` of that person's items, newest first, in a fixed number of queries. The
page merges every provider's items by date; an app that registers nothing adds
nothing.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

PAGE_SIZE = 20
# Deeper pages ask each provider for more rows; this keeps the cost bounded.
MAX_PAGES = 50


@dataclass(frozen=True)
class ActivityItem:
    kind: str  # translated, e.g. "Comment", "Supported a dream"
    title: str
    url: str
    date: datetime
    state: str = ""  # translated, e.g. "Answered", "Selected for the panel"


Provider = Callable[[Any, int], list[ActivityItem]]
SessionProvider = Callable[[Any], list[ActivityItem]]

_providers: dict[str, Provider] = {}
_session_providers: dict[str, SessionProvider] = {}


def register_session(name: str, provider: SessionProvider) -> None:
    """Add a provider of what this browser did without an account:
    `provider(session) -> list[ActivityItem]`, newest first, in a fixed number
    of queries (feedback: the follow-up links it remembers)."""
    _session_providers[name] = provider


def session_items(session) -> list[ActivityItem]:
    """Every session provider's items, newest first."""
    items = [item for p in _session_providers.values() for item in p(session)]
    return sorted(items, key=lambda item: item.date, reverse=True)


def register(name: str, provider: Provider) -> None:
    """Add (or replace, when registered again) the provider `name`."""
    _providers[name] = provider


def unregister(name: str) -> None:
    _providers.pop(name, None)
    _session_providers.pop(name, None)


def providers() -> dict[str, Provider]:
    """The registered providers in registration order."""
    return dict(_providers)


@dataclass
class ActivityPage:
    items: list[ActivityItem]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def activity_page(*, user, page: int = 1, size: int = PAGE_SIZE) -> ActivityPage:
    """Page `page` (from 1) of `user`'s merged activity, newest first.

    Each provider is asked once for its newest `page * size + 1` items, so a page
    costs one fixed set of queries per provider (no OFFSET over a union of apps).
    """
    page = min(max(page, 1), MAX_PAGES)
    wanted = page * size + 1
    streams = [provider(user, wanted) for provider in _providers.values()]
    merged = heapq.merge(*streams, key=lambda item: item.date, reverse=True)
    rows = list(islice(merged, wanted))
    start = (page - 1) * size
    return ActivityPage(
        items=rows[start : start + size],
        number=page,
        has_next=len(rows) > page * size and page < MAX_PAGES,
    )
