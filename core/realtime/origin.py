"""Which pages may open a WebSocket: the site's own origin, scheme, host and port.

Channels' `AllowedHostsOriginValidator` compares host names only, so a page on
`http://127.0.0.1:1` or `https://127.0.0.1:8103` could open sockets to the board
served on `http://127.0.0.1:8103` with the visitor's cookies. A socket is accepted
when its `Origin` is exactly one of the configured origins (`SITE_URL` and
`CSRF_TRUSTED_ORIGINS`), or is the origin of the request itself: the same host and
port as the `Host` header (a host in `ALLOWED_HOSTS`) and the scheme the socket
came in on (`ws` ↔ `http`, `wss` ↔ `https`; behind a TLS proxy run daphne with
`--proxy-headers` so it knows). No `Origin` header: refused (browsers always send
one).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) origin or URL, or None when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a port out of range or not a number
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def configured_origins() -> set[tuple[str, str, int]]:
    urls = [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]
    return {origin for url in urls if (origin := normalise_origin(url))}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def origin_allowed(scope) -> bool:
    """Whether the socket's `Origin` is the site's (see the module docstring)."""
    raw = _header(scope, b"origin")
    origin = normalise_origin(raw) if raw else None
    if origin is None:
        return False
    if origin in configured_origins():
        return True
    host = _header(scope, b"host") or ""
    domain, port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    page_scheme = "https" if scope.get("scheme") == "wss" else "http"
    try:
        page_port = int(port) if port else DEFAULT_PORTS[page_scheme]
    except ValueError:
        return False
    return origin == (page_scheme, domain.lower(), page_port)


class SameOriginValidator:
    """ASGI middleware: refuse WebSockets whose `Origin` is not the site's."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
