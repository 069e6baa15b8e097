"""The registry behind `/accounts/me/data/`: each app adds what it stores about people.

An app registers a section from its `AppConfig.ready()`::

    from accounts import personal_data
    personal_data.register("comments", comments_personal_data)

where `comments_personal_data(user) -> data` returns JSON-serialisable data (lists,
dicts, strings, numbers; datetimes are written as ISO 8601 text).
"""

from collections.abc import Callable
from typing import Any

Section = Callable[[Any], Any]

_sections: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    """Add (or replace, when re-registered) the section `name` of every export."""
    _sections[name] = section


def unregister(name: str) -> None:
    _sections.pop(name, None)


def sections() -> dict[str, Section]:
    """The registered sections in registration order."""
    return dict(_sections)
