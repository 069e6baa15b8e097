"""The registry behind the site header: each app adds its links, by role.

An app registers from its `AppConfig.ready()`::

    from accounts import header
    header.register(
        "workshops.mine",
        label=_("My workshops"),
        url="workshops:list",
        rule="accounts.is_facilitator_somewhere",
        section=header.ACCOUNT,
    )

`url` is a URL name (reversed when the header is drawn) or a callable
`url(request) -> str` (request may be None); `rule` names a `rules` rule checked
with the user (no object), so the same permission the views use decides what the
header offers; `count(user)`
adds a number (pending reports, unread notifications) and is called only for
people who may see the link; `count_label` is the word a screen reader says
after the number ("3 waiting" by default, "3 unread" for notifications). The
base template draws `MAIN` links in the main navigation and `ACCOUNT` links
beside the person's name; no template needs to know which apps exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAIN = "main"
ACCOUNT = "account"
SECTIONS = (MAIN, ACCOUNT)


@dataclass(frozen=True)
class HeaderLink:
    name: str
    label: str
    url: str | Callable[[Any], str]
    section: str = MAIN
    rule: str | None = None
    count: Callable[[Any], int] | None = None
    order: int = 100
    count_label: str = _("waiting")


@dataclass(frozen=True)
class ShownLink:
    name: str
    label: str
    url: str
    count: int | None
    count_label: str = ""


_links: dict[str, HeaderLink] = {}


def register(
    name: str,
    *,
    label: str,
    url: str | Callable[[Any], str],
    section: str = MAIN,
    rule: str | None = None,
    count: Callable[[Any], int] | None = None,
    order: int = 100,
    count_label: str = HeaderLink.count_label,
) -> HeaderLink:
    """Add (or replace, when registered again) the link `name`; `count_label`
    says what the count counts, to screen readers (`_("unread")`)."""
    if section not in SECTIONS:
        raise ValueError(f"Header section must be one of {SECTIONS}, not {section!r}.")
    link = HeaderLink(name, label, url, section, rule, count, order, count_label)
    _links[name] = link
    return link


def unregister(name: str) -> None:
    _links.pop(name, None)


def registered() -> dict[str, HeaderLink]:
    return dict(_links)


def links_for(user, section: str, request=None) -> list[ShownLink]:
    """The links of `section` that `user` may see, in order, with their counts."""
    shown = []
    ordered = sorted(
        (link for link in _links.values() if link.section == section),
        key=lambda link: link.order,
    )
    for link in ordered:
        if link.rule is not None and not rules.test_rule(link.rule, user):
            continue
        url = link.url(request) if callable(link.url) else reverse(link.url)
        count = link.count(user) if link.count is not None else None
        shown.append(
            ShownLink(link.name, str(link.label), url, count, str(link.count_label))
        )
    return shown
