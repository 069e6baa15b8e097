"""Settings come from the environment: each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
REAL_SECRET = "x7-very-long-random-production-secret-key-for-tests-0123456789abcdef"
REAL_PSEUDONYM_KEY = "p9-another-long-random-production-pseudonym-key-0123456789"

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "layer_hosts": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "database": settings.DATABASES["default"]["ENGINE"],
    "debug": settings.DEBUG,
    "email": settings.EMAIL_BACKEND,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
}))
"""

HEADERS_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
secure = client.get("/healthz", secure=True)
plain = client.get("/healthz")
print(json.dumps({
    "secure_status": secure.status_code,
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "csp": secure.headers.get("Content-Security-Policy"),
    "nosniff": secure.headers.get("X-Content-Type-Options"),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


def _env(**overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Start from the embedded defaults whatever this run was given.
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "PSEUDONYM_KEY",
            "PALVELUPAJA_PROFILE",
            "PALVELUPAJA_SECRETS_FILE",
            "CSRF_TRUSTED_ORIGINS",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "EMAIL_URL",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DATABASE_POOL_MIN_SIZE",
            "DATABASE_POOL_MAX_SIZE",
            "DATABASE_POOL_TIMEOUT",
        }
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["DATABASE_URL"] = "sqlite:///:memory:"
    for key, value in overrides.items():
        if value is not None:
            env[key] = value
    return env


def _run(args: list[str], **env: str | None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _probe(**env: str | None) -> dict:
    result = _run(["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_defaults_use_memory_layer_and_local_cache():
    settings = _probe()
    assert settings["layer"] == "channels.layers.InMemoryChannelLayer"
    assert settings["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["debug"] is True
    assert settings["email"] == "django.core.mail.backends.console.EmailBackend"


def test_redis_url_switches_layer_and_cache_to_redis():
    settings = _probe(REDIS_URL="redis://127.0.0.1:6379/5")
    assert settings["layer"] == "channels_redis.core.RedisChannelLayer"
    assert settings["layer_hosts"] == [
        {"address": "redis://127.0.0.1:6379/5", "socket_timeout": None}
    ]
    assert settings["cache"] == "django_redis.cache.RedisCache"
    assert settings["cache_location"] == "redis://127.0.0.1:6379/5"


def test_database_url_selects_postgresql():
    settings = _probe(DATABASE_URL="postgres://u:p@db.example:5432/pp")
    assert settings["database"] == "django.db.backends.postgresql"


def test_refuses_to_start_without_debug_on_the_default_secret():
    result = _run(["-c", PROBE], DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("key", ["SECRET_KEY", "PSEUDONYM_KEY"])
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("default", "is the built-in default"),
        ("only-31-characters-long-abcdefg", "is shorter than 32 characters"),
    ],
)
def test_refuses_to_start_without_debug_on_a_weak_key(key, value, problem):
    defaults = {
        "SECRET_KEY": "insecure-embedded-default-do-not-use-in-production",
        "PSEUDONYM_KEY": "embedded-default-pseudonym-key",
    }
    keys = {"SECRET_KEY": REAL_SECRET, "PSEUDONYM_KEY": REAL_PSEUDONYM_KEY}
    keys[key] = defaults[key] if value == "default" else value
    result = _run(["-c", PROBE], DEBUG="false", **keys)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{key} {problem}" in result.stderr


def test_refuses_to_start_without_debug_on_one_key_for_both():
    result = _run(
        ["-c", PROBE], DEBUG="false", SECRET_KEY=REAL_SECRET, PSEUDONYM_KEY=REAL_SECRET
    )
    assert result.returncode != 0
    assert "PSEUDONYM_KEY is the same as SECRET_KEY" in result.stderr


def test_starts_without_debug_on_two_long_keys_and_debug_keeps_the_defaults():
    assert (
        _probe(DEBUG="false", SECRET_KEY=REAL_SECRET, PSEUDONYM_KEY=REAL_PSEUDONYM_KEY)[
            "debug"
        ]
        is False
    )
    # Development and the test suite (DEBUG by default) need no keys at all.
    assert _probe(SECRET_KEY="", PSEUDONYM_KEY="")["debug"] is True


def test_production_settings_pass_the_deploy_check():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=REAL_SECRET,
        PSEUDONYM_KEY=REAL_PSEUDONYM_KEY,
        ALLOWED_HOSTS="palvelupaja.example.fi",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_sends_hsts_secure_cookies_and_redirects_plain_http():
    result = _run(
        ["-c", HEADERS_PROBE],
        DEBUG="false",
        SECRET_KEY=REAL_SECRET,
        PSEUDONYM_KEY=REAL_PSEUDONYM_KEY,
        ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["secure_status"] == 200
    assert answer["hsts"].startswith("max-age=31536000")
    assert "includeSubDomains" in answer["hsts"]
    assert answer["nosniff"] == "nosniff"
    assert answer["csp"]
    assert answer["plain_status"] == 301
    assert answer["plain_location"].startswith("https://")
    assert answer["session_cookie_secure"] is True
    assert answer["csrf_cookie_secure"] is True
    assert answer["session_cookie_httponly"] is True


DATABASE_PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "conn_max_age": db["CONN_MAX_AGE"],
    "pool": db.get("OPTIONS", {}).get("pool"),
}))
"""


def _database_probe(**env: str | None) -> dict:
    result = _run(["-c", DATABASE_PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sqlite_keeps_no_persistent_connections():
    settings = _database_probe()
    assert settings["conn_max_age"] == 0
    assert settings["pool"] is None


def test_postgresql_lends_connections_from_a_bounded_pool():
    settings = _database_probe(DATABASE_URL="postgres://u:p@db.example:5432/pp")
    assert settings["conn_max_age"] == 0  # Django's pool requires it
    assert settings["pool"]["min_size"] == 2
    assert settings["pool"]["max_size"] == 10
    assert settings["pool"]["timeout"] == 10.0


def test_pool_size_and_timeout_come_from_the_environment():
    settings = _database_probe(
        DATABASE_URL="postgres://u:p@db.example:5432/pp?conn_max_age=600",
        DATABASE_POOL_MIN_SIZE="1",
        DATABASE_POOL_MAX_SIZE="25",
        DATABASE_POOL_TIMEOUT="2.5",
    )
    assert settings["conn_max_age"] == 0
    assert settings["pool"]["min_size"] == 1
    assert settings["pool"]["max_size"] == 25
    assert settings["pool"]["timeout"] == 2.5


def test_refuses_a_pool_whose_minimum_exceeds_its_maximum():
    result = _run(
        ["-c", DATABASE_PROBE],
        DATABASE_URL="postgres://u:p@db.example:5432/pp",
        DATABASE_POOL_MIN_SIZE="20",
        DATABASE_POOL_MAX_SIZE="10",
    )
    assert result.returncode != 0
    assert "DATABASE_POOL_MIN_SIZE" in result.stderr
