"""The embedded profile `make run` sets: the site as a visitor sees it, on plain
http on the loopback. Each case runs the settings in a fresh interpreter."""

import json
import stat

import pytest

from config.local_secrets import secrets_file_ensure
from tests.config.test_settings import REAL_PSEUDONYM_KEY, REAL_SECRET, _run

PROBE = """
import json, django
from django.conf import settings
django.setup()
allowed_hosts = list(settings.ALLOWED_HOSTS)  # before the test setup adds its own
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().get("/healthz", HTTP_HOST="127.0.0.1:8000")
print(json.dumps({
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "pseudonym_key": settings.PSEUDONYM_KEY,
    "allowed_hosts": allowed_hosts,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "language_cookie_secure": settings.LANGUAGE_COOKIE_SECURE,
    "status": response.status_code,
    "location": response.headers.get("Location"),
    "hsts": response.headers.get("Strict-Transport-Security"),
    "csp": response.headers.get("Content-Security-Policy"),
}))
"""


@pytest.fixture
def secrets_file(tmp_path):
    path = tmp_path / "var" / "secrets.env"
    secrets_file_ensure(path)
    return path


def _embedded(secrets_file, **env):
    return _run(
        ["-c", PROBE],
        PALVELUPAJA_PROFILE="embedded",
        PALVELUPAJA_SECRETS_FILE=str(secrets_file),
        **env,
    )


def _answer(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _connect_src(policy: str) -> list[str]:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == "connect-src":
            return words[1:]
    raise AssertionError(policy)


def test_secrets_file_is_made_once_with_two_long_private_keys(tmp_path):
    path = tmp_path / "var" / "secrets.env"
    assert secrets_file_ensure(path) is True
    first = path.read_text()
    values = dict(
        line.split("=", 1) for line in first.splitlines() if not line.startswith("#")
    )
    assert set(values) == {"SECRET_KEY", "PSEUDONYM_KEY"}
    assert all(len(value) >= 32 for value in values.values())
    assert values["SECRET_KEY"] != values["PSEUDONYM_KEY"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secrets_file_ensure(path) is False
    assert path.read_text() == first  # kept: sessions and pseudonyms stay


def test_embedded_profile_serves_plain_http_with_debug_off(secrets_file):
    answer = _answer(_embedded(secrets_file))
    assert answer["debug"] is False
    assert answer["status"] == 200  # no redirect to https
    assert answer["location"] is None
    assert answer["hsts"] is None
    assert answer["session_cookie_secure"] is False
    assert answer["csrf_cookie_secure"] is False
    assert answer["language_cookie_secure"] is False
    assert "ws:" in _connect_src(answer["csp"])
    assert answer["allowed_hosts"] == ["127.0.0.1", "localhost", "[::1]"]


def test_embedded_profile_reads_its_keys_from_the_secrets_file(secrets_file):
    values = dict(
        line.split("=", 1)
        for line in secrets_file.read_text().splitlines()
        if not line.startswith("#")
    )
    answer = _answer(_embedded(secrets_file))
    assert answer["secret_key"] == values["SECRET_KEY"]
    assert answer["pseudonym_key"] == values["PSEUDONYM_KEY"]
    # The environment wins over the file.
    answer = _answer(_embedded(secrets_file, SECRET_KEY=REAL_SECRET))
    assert answer["secret_key"] == REAL_SECRET


def test_embedded_profile_refuses_to_start_without_its_keys(tmp_path):
    result = _embedded(tmp_path / "missing.env")
    assert result.returncode != 0
    assert "SECRET_KEY is the built-in default" in result.stderr
    result = _embedded(tmp_path / "missing.env", SECRET_KEY=REAL_SECRET)
    assert "PSEUDONYM_KEY is the built-in default" in result.stderr


def test_debug_1_in_the_embedded_profile_is_the_development_server(tmp_path):
    answer = _answer(_embedded(tmp_path / "missing.env", DEBUG="1"))
    assert answer["debug"] is True
    assert answer["status"] == 200


@pytest.mark.parametrize("hosts", ["palvelupaja.example.fi", "127.0.0.1,0.0.0.0"])
def test_embedded_profile_answers_only_on_the_loopback(secrets_file, hosts):
    result = _embedded(secrets_file, ALLOWED_HOSTS=hosts)
    assert result.returncode != 0
    assert "only on the loopback" in result.stderr
    answer = _answer(_embedded(secrets_file, ALLOWED_HOSTS="localhost"))
    assert answer["allowed_hosts"] == ["localhost"]


def test_production_keeps_https_and_drops_ws_from_the_policy():
    result = _run(
        ["-c", PROBE.replace('HTTP_HOST="127.0.0.1:8000"', "secure=True")],
        DEBUG="false",
        SECRET_KEY=REAL_SECRET,
        PSEUDONYM_KEY=REAL_PSEUDONYM_KEY,
        ALLOWED_HOSTS="testserver",
    )
    answer = _answer(result)
    assert answer["hsts"].startswith("max-age=")
    assert answer["session_cookie_secure"] is True
    assert answer["language_cookie_secure"] is True
    assert _connect_src(answer["csp"]) == ["'self'", "wss:"]


def test_an_unknown_profile_is_refused():
    result = _run(["-c", PROBE], PALVELUPAJA_PROFILE="embeded")
    assert result.returncode != 0
    assert "PALVELUPAJA_PROFILE" in result.stderr
