"""What a discussion is about, as an object, for the apps that own the targets.

The comment engine knows a discussion's target only as `(target_type,
target_key)`. An app whose objects people should follow when they comment on
them registers, at start-up, how to load one::

    targets.register_target_resolver("ideas.dream", lambda key: Dream...first())

`comment_create` then makes the comment's author follow that object (the
notifications' `follow_default`). Types nobody registered resolve to None.

The same app may register where its targets are, for many keys at once::

    targets.register_target_places("ideas.dream", dream_places)

`places(keys)` answers `{key: (district_ids, topic_ids)}` in a fixed number of
queries (one, for the apps here), so the site search files a comment under its
target's districts and topics (`comment_documents`). Keys it does not answer,
and types nobody registered, have no places.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from discussions.models import Discussion

# (district ids, topic ids)
Places = tuple[tuple[int, ...], tuple[int, ...]]
NO_PLACES: Places = ((), ())

_resolvers: dict[str, Callable[[str], Any]] = {}
_places: dict[str, Callable[[Collection[str]], dict[str, Places]]] = {}


def register_target_resolver(target_type: str, resolve: Callable[[str], Any]) -> None:
    """`resolve(target_key)` returns the object a discussion of `target_type` is
    about (or None)."""
    _resolvers[target_type] = resolve


def target_object(discussion: Discussion) -> Any:
    """The object `discussion` is about, when its app registered a resolver."""
    resolve = _resolvers.get(discussion.target_type)
    return resolve(discussion.target_key) if resolve is not None else None


def register_target_places(
    target_type: str, places: Callable[[Collection[str]], dict[str, Places]]
) -> None:
    """`places(keys)` returns `{key: (district_ids, topic_ids)}` for the targets of
    `target_type` among `keys` (a fixed number of queries, however many keys)."""
    _places[target_type] = places


def target_places(target_type: str, keys: Iterable[str]) -> dict[str, Places]:
    """The districts and topics of these targets (empty when nobody registered
    `target_type`; a key not answered has none)."""
    places = _places.get(target_type)
    keys = set(keys)
    if places is None or not keys:
        return {}
    return places(keys)


def places_from_rows(rows: Iterable[tuple[Any, int | None, int | None]]) -> dict:
    """Fold `(key, district_id, topic_id)` rows (either id may be None) into
    `{str(key): (district_ids, topic_ids)}`: the registered `places` functions
    read their targets' districts and topics in one query each and end here."""
    found: dict[str, tuple[dict[int, None], dict[int, None]]] = {}
    for key, district, topic in rows:
        districts, topics = found.setdefault(str(key), ({}, {}))
        if district is not None:
            districts[district] = None
        if topic is not None:
            topics[topic] = None
    return {
        key: (tuple(sorted(districts)), tuple(sorted(topics)))
        for key, (districts, topics) in found.items()
    }


def int_keys(keys: Iterable[str]) -> list[int]:
    """The keys that are row ids (targets keyed by their primary key)."""
    return [
        int(key) for key in keys if key.isascii() and key.isdigit() and len(key) < 19
    ]
