"""Reading another GeoReport v2 (Open311, 6Aika) server, defensively.

The other server is not trusted: it may hang, send gigabytes, redirect elsewhere,
answer HTML or half a JSON document. Every such case ends in `FetchError` with a
message for the import's report; nothing here writes to the database.

Why `http.client` and not `requests`: `requests` is only here as a dependency of
Wagtail's, not one of ours, and each safeguard needs the lower level anyway — a
connect timeout apart from the read timeout, a deadline for the whole answer, no
redirect followed on its own, gzip refused (a small body must not inflate past the
cap) and the body read in chunks and cut off at the size cap.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 3
USER_AGENT = "Palvelupaja-import/1 (+GeoReport v2)"
_LINK_NEXT = re.compile(r'<([^>]+)>\s*;[^,]*\brel="?next"?', re.IGNORECASE)


class FetchError(Exception):
    """The server could not be read safely; the message says why."""


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0  # each read of the socket
    deadline: float = 60.0  # the whole answer, however slowly it drips
    max_bytes: int = 10 * 1024 * 1024


@dataclass
class Page:
    url: str
    records: list = field(default_factory=list)
    next_url: str | None = None


def requests_url(base_url: str, params: dict[str, str]) -> str:
    """`requests.json` under `base_url` with `params` (a URL ending in
    `requests.json` is taken as it is)."""
    base = base_url.split("?", 1)[0]
    if not base.endswith("requests.json"):
        base = base.rstrip("/") + "/requests.json"
    return f"{base}?{urlencode(params)}" if params else base


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"Only http and https URLs are read: {url[:200]}")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise FetchError(f"Bad port in {url[:200]}") from error
    return scheme, parts.hostname.lower(), port


def _same_origin(url: str, other: str) -> bool:
    return _origin(url) == _origin(other)


def _get_once(url: str, limits: Limits, started: float) -> tuple[int, dict, bytes]:
    scheme, host, port = _origin(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            host,
            port,
            timeout=limits.connect_timeout,
            context=ssl.create_default_context(),
        )
    else:
        connection = http.client.HTTPConnection(
            host, port, timeout=limits.connect_timeout
        )
    try:
        try:
            connection.connect()
        except (OSError, ssl.SSLError) as error:
            raise FetchError(f"Could not connect to {host}: {error}") from error
        connection.sock.settimeout(limits.read_timeout)
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "Accept": "application/json",
                    "Accept-Encoding": "identity",
                    "User-Agent": USER_AGENT,
                },
            )
            response = connection.getresponse()
            headers = {k.lower(): v for k, v in response.getheaders()}
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise FetchError(
                    f"The answer is {int(declared)} bytes, more than the limit "
                    f"of {limits.max_bytes}."
                )
            body = bytearray()
            while chunk := response.read(CHUNK_BYTES):
                body += chunk
                if len(body) > limits.max_bytes:
                    raise FetchError(
                        f"The answer grew past the limit of {limits.max_bytes} bytes; "
                        "reading stopped."
                    )
                if time.monotonic() - started > limits.deadline:
                    raise FetchError(
                        f"The answer took longer than {limits.deadline:g} s; "
                        "reading stopped."
                    )
            return response.status, headers, bytes(body)
        except TimeoutError as error:
            raise FetchError(
                f"{host} did not answer within {limits.read_timeout:g} s."
            ) from error
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"Reading from {host} failed: {error!r}") from error
    finally:
        connection.close()


def _no_constant(name: str):
    # NaN and Infinity are not JSON; Python would accept them as numbers.
    raise ValueError(f"{name} is not a JSON value")


def get_json(url: str, limits: Limits) -> tuple[object, dict]:
    """GET `url` and parse JSON; redirects only within the same origin."""
    started = time.monotonic()
    first = url
    for _hop in range(MAX_REDIRECTS + 1):
        status, headers, body = _get_once(url, limits, started)
        if status in (301, 302, 303, 307, 308):
            target = urljoin(url, headers.get("location", ""))
            if not _same_origin(first, target):
                raise FetchError(
                    f"Refused a redirect to another host ({target[:200]})."
                )
            url = target
            continue
        if status != 200:
            raise FetchError(f"The server answered HTTP {status}.")
        try:
            return json.loads(body, parse_constant=_no_constant), headers
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise FetchError(f"The answer is not valid JSON: {error}") from error
    raise FetchError(f"More than {MAX_REDIRECTS} redirects.")


def next_page_url(url: str, headers: dict) -> str | None:
    """The next page named by a `Link: <…>; rel="next"` or `X-Next-Page-URL`
    header, or None. A next page on another host is refused."""
    found = _LINK_NEXT.search(headers.get("link", ""))
    target = found.group(1) if found else headers.get("x-next-page-url", "")
    if not target.strip():
        return None
    target = urljoin(url, target.strip())
    if not _same_origin(url, target):
        raise FetchError(f"Refused a next page on another host ({target[:200]}).")
    return target


def fetch_page(url: str, limits: Limits) -> Page:
    """One page of `requests.json`: a JSON array of records, and the next page."""
    data, headers = get_json(url, limits)
    if not isinstance(data, list):
        raise FetchError("The answer is not a JSON array of service requests.")
    return Page(url=url, records=data, next_url=next_page_url(url, headers))
