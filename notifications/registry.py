"""What can be followed and which kinds of notification exist, filled in by apps.

Each app registers from its `AppConfig.ready()`, so this app imports none of them::

    from notifications import registry
    registry.register_kind(
        "ideas.dream_status",
        label=_("A dream's status changed"),
        describe=lambda dream: (dream.title, dream.get_absolute_url()),
    )
    registry.register_followable(Dream)

`describe(target) -> (title, url)` is called once when a notification is sent; the
notification keeps what it returned. `visible(target) -> bool` (optional, for
kinds and followables alike) says whether the target may be talked about now:
nothing is made, e-mailed or followed about a hidden or removed target (asked
when notifying and again when sending). An app that registers nothing changes nothing;
notifying with a kind nobody registered raises `UnknownKind` at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from notifications.models import KIND_MAX_LENGTH

Describe = Callable[[Any], tuple[str, str]]
Visible = Callable[[Any], bool]

# "app.what_happened": the app's label keeps codes from two apps apart.
_CODE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


class UnknownKind(LookupError):
    """A notification kind no app registered (a programming error, not a user's)."""


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    describe: Describe
    visible: Visible | None = None


@dataclass(frozen=True)
class Followable:
    model: type[models.Model]
    visible: Visible | None = None
    describe: Describe | None = None


_kinds: dict[str, Kind] = {}
_followables: dict[str, Followable] = {}


def register_kind(
    code: str, *, label: str, describe: Describe, visible: Visible | None = None
) -> Kind:
    """Add (or replace, when registered again) the kind `code` ("app.event")."""
    if not isinstance(code, str) or len(code) > KIND_MAX_LENGTH:
        raise ImproperlyConfigured(f"Notification kind {code!r} is not a short text.")
    if not _CODE.fullmatch(code):
        raise ImproperlyConfigured(
            f"Notification kind {code!r} must look like 'app.event' (a-z, 0-9, _)."
        )
    if not callable(describe):
        raise ImproperlyConfigured(f"Notification kind {code!r} needs describe().")
    kind = Kind(code=code, label=label, describe=describe, visible=visible)
    _kinds[code] = kind
    return kind


def unregister_kind(code: str) -> None:
    _kinds.pop(code, None)


def kind_get(code: str) -> Kind:
    """The registered kind `code`; `UnknownKind` names the known ones otherwise."""
    try:
        return _kinds[code]
    except (KeyError, TypeError):
        known = ", ".join(sorted(_kinds)) or "none"
        raise UnknownKind(
            f"No app registered the notification kind {code!r} (registered: {known})."
        ) from None


def kinds() -> dict[str, Kind]:
    """The registered kinds in registration order."""
    return dict(_kinds)


def register_followable(
    model: type[models.Model],
    *,
    visible: Visible | None = None,
    describe: Describe | None = None,
) -> None:
    """Let people follow instances of `model` (those `visible` allows, if given);
    `describe(obj) -> (title, url)` names one on the following page (default:
    `str(obj)` and its `get_absolute_url()`)."""
    _followables[model._meta.label_lower] = Followable(model, visible, describe)


def followable_describe(target: models.Model) -> tuple[str, str]:
    """A followed object's title and address for the following page."""
    followable = _followables.get(target._meta.label_lower)
    if followable is not None and followable.describe is not None:
        return followable.describe(target)
    url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    return str(target), url


def followable_model(label: str) -> type[models.Model] | None:
    """The followable model called `label` ("ideas.dream"), or None."""
    followable = _followables.get(label)
    return followable.model if followable else None


def is_visible(target: models.Model, kind: Kind | None = None) -> bool:
    """Whether `target` may be followed and talked about now (its kind's check,
    else its followable's; targets without a check are always visible)."""
    check = kind.visible if kind is not None else None
    if check is None:
        followable = _followables.get(target._meta.label_lower)
        check = followable.visible if followable else None
    return True if check is None else bool(check(target))


def unregister_followable(model: type[models.Model]) -> None:
    _followables.pop(model._meta.label_lower, None)


def is_followable(target: models.Model | type[models.Model]) -> bool:
    # Concrete class: a Wagtail page read as a plain `Page` is not followable.
    return target._meta.label_lower in _followables
