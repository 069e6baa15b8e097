"""What notifications adds to the shared registries (the header's count)."""

from __future__ import annotations

from notifications.selectors import unread_count as _unread_count


def unread_count(user) -> int:
    """The number beside "Notifications" in the header (one query)."""
    return _unread_count(user=user)
