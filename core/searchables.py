"""What the site search may find: each app registers what it offers, once.

An app registers a kind of searchable thing from its `AppConfig.ready()`:

    searchables.register(
        "dream", label=_("Service dreams"),
        documents=dream_documents,   # ids -> the public ones among them, as Documents
        all_ids=public_dream_ids,    # () -> every public id (rebuilds)
    )

and its services call `reindex_on_commit("dream", dream.pk)` whenever they
create, edit, hide, remove, publish or unpublish something searchable. After
the transaction commits, the search app (which sits above every app and hands
its writer over with `set_writer` at start-up) asks `documents` again and
writes what it gets: an id it no longer gets (hidden, private, removed) loses
its document at once. So the index only ever holds what is public, and the
visibility rule stays in the app that owns it. `manage.py rebuild_search_index`
rebuilds everything, or with `--incremental` repairs what a script, a cascade or
an admin delete changed behind the services' back.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Document:
    """One public thing as the search shows it. `body` is plain text."""

    kind: str
    object_id: int
    language: str
    title: str
    body: str
    url: str
    date: datetime.datetime
    city_id: int | None = None
    district_ids: tuple[int, ...] = ()
    topic_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Searchable:
    kind: str
    label: str
    documents: Callable[[Sequence[int]], Iterable[Document]]
    all_ids: Callable[[], Iterable[int]]
    # Kinds whose visibility follows this one's (a thread's comments follow
    # their planned service or feedback item): ids -> {kind: ids}.
    dependents: Callable[[Sequence[int]], dict[str, list[int]]] | None = None
    order: int = 100


_registry: dict[str, Searchable] = {}
_writer: Callable[[str, Sequence[int]], None] | None = None


def register(
    kind: str,
    *,
    label,
    documents: Callable[[Sequence[int]], Iterable[Document]],
    all_ids: Callable[[], Iterable[int]],
    dependents: Callable[[Sequence[int]], dict[str, list[int]]] | None = None,
    order: int = 100,
) -> Searchable:
    """Offer `kind` to the site search (see the module docstring)."""
    searchable = Searchable(kind, label, documents, all_ids, dependents, order)
    _registry[kind] = searchable
    return searchable


def searchables() -> dict[str, Searchable]:
    """Every registered kind, in the order their filters are shown."""
    return dict(sorted(_registry.items(), key=lambda item: (item[1].order, item[0])))


def get(kind: str) -> Searchable | None:
    return _registry.get(kind)


def set_writer(writer: Callable[[str, Sequence[int]], None] | None) -> None:
    """The search app's `documents_reindex(kind, ids)`; set once at start-up."""
    global _writer
    _writer = writer


def reindex(kind: str, *ids: int) -> None:
    """Write the documents of `ids` now (inside the caller's transaction)."""
    if _writer is None or kind not in _registry:
        return
    clean = sorted({int(pk) for pk in ids if pk is not None})
    if clean:
        _writer(kind, clean)


def reindex_on_commit(kind: str, *ids: int) -> None:
    """Write the documents of `ids` once the current transaction commits.

    Reading the rows again after commit makes the call idempotent and safe to
    repeat: what is no longer public loses its document."""
    if _writer is None or kind not in _registry:
        return
    transaction.on_commit(lambda: _reindex_logged(kind, ids))


def _reindex_logged(kind: str, ids: Sequence[int]) -> None:
    # After commit the user's change is done: a failing index write must not turn
    # it into an error page; the incremental rebuild job repairs the index.
    try:
        reindex(kind, *ids)
    except Exception:  # noqa: BLE001
        logger.exception("search: reindexing %s %s failed", kind, list(ids)[:10])
