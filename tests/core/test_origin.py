"""Which origins may open a WebSocket: scheme, host and port, not the host alone."""

import pytest
from django.test import override_settings

from core.realtime.origin import normalise_origin, origin_allowed


def scope(origin: str | None, host: str = "127.0.0.1:8103", scheme: str = "ws"):
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


SITE = {
    "ALLOWED_HOSTS": ["127.0.0.1", "palvelupaja.example"],
    "SITE_URL": "https://palvelupaja.example",
    "CSRF_TRUSTED_ORIGINS": ["https://osallistu.example"],
}


@override_settings(**SITE)
@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        # the page the socket belongs to
        ("http://127.0.0.1:8103", "127.0.0.1:8103", "ws", True),
        ("https://palvelupaja.example", "palvelupaja.example", "wss", True),
        ("https://palvelupaja.example:443", "palvelupaja.example", "wss", True),
        # configured origins, whatever the Host header says
        ("https://palvelupaja.example", "127.0.0.1:8103", "ws", True),
        ("https://osallistu.example", "127.0.0.1:8103", "ws", True),
        # the attacks: another port, another scheme, another host
        ("http://127.0.0.1:1", "127.0.0.1:8103", "ws", False),
        ("https://127.0.0.1:8103", "127.0.0.1:8103", "ws", False),
        ("http://palvelupaja.example", "palvelupaja.example", "wss", False),
        ("http://palvelupaja.example", "palvelupaja.example", "ws", True),
        ("https://evil.example", "127.0.0.1:8103", "ws", False),
        ("http://evil.example:8103", "evil.example:8103", "ws", False),
        # no origin or nonsense
        (None, "127.0.0.1:8103", "ws", False),
        ("null", "127.0.0.1:8103", "ws", False),
        ("file://", "127.0.0.1:8103", "ws", False),
        ("http://127.0.0.1:99999", "127.0.0.1:8103", "ws", False),
        ("http://127.0.0.1:8103", "127.0.0.1:x", "ws", False),
    ],
)
def test_origin_matrix(origin, host, scheme, allowed):
    assert origin_allowed(scope(origin, host, scheme)) is allowed


def test_origins_are_compared_with_their_default_ports():
    assert normalise_origin("HTTPS://Example.FI") == ("https", "example.fi", 443)
    assert normalise_origin("http://example.fi:80/") == ("http", "example.fi", 80)
    assert normalise_origin("ftp://example.fi") is None
