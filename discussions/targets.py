"""What a discussion is about, as an object, for the apps that own the targets.

The comment engine knows a discussion's target only as `(target_type,
target_key)`. An app whose objects people should follow when they comment on
them registers, at start-up, how to load one::

    targets.register_target_resolver("ideas.dream", lambda key: Dream...first())

`comment_create` then makes the comment's author follow that object (the
notifications' `follow_default`). Types nobody registered resolve to None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from discussions.models import Discussion

_resolvers: dict[str, Callable[[str], Any]] = {}


def register_target_resolver(target_type: str, resolve: Callable[[str], Any]) -> None:
    """`resolve(target_key)` returns the object a discussion of `target_type` is
    about (or None)."""
    _resolvers[target_type] = resolve


def target_object(discussion: Discussion) -> Any:
    """The object `discussion` is about, when its app registered a resolver."""
    resolve = _resolvers.get(discussion.target_type)
    return resolve(discussion.target_key) if resolve is not None else None
