"""Palvelupaja settings: one module, configured only by environment variables.

The defaults give a development run (SQLite file in the project folder, in-memory
channel layer, DEBUG on, console e-mail). Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, PSEUDONYM_KEY, ALLOWED_HOSTS and DEBUG=false.

`make run` sets PALVELUPAJA_PROFILE=embedded: the site as a visitor sees it on
this machine (DEBUG off unless DEBUG=1, loopback hosts only, plain http), with its
keys read from var/secrets.env (config/local_secrets.py makes that file).
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# The built-in keys: fine for development and tests, refused with DEBUG off (below).
DEFAULT_SECRET_KEY = "insecure-embedded-default-do-not-use-in-production"  # noqa: S105
DEFAULT_PSEUDONYM_KEY = "embedded-default-pseudonym-key"
MIN_KEY_LENGTH = 32

# The embedded profile serves plain http, so it answers only on the loopback.
PROFILES = ("", "embedded")
PROFILE = os.environ.get("PALVELUPAJA_PROFILE", "").strip().lower()
if PROFILE not in PROFILES:
    raise ImproperlyConfigured(
        f"PALVELUPAJA_PROFILE is {PROFILE!r}; it may be 'embedded' or unset."
    )
EMBEDDED = PROFILE == "embedded"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SECRETS_FILE = Path(
    os.environ.get("PALVELUPAJA_SECRETS_FILE") or BASE_DIR / "var" / "secrets.env"
)
if EMBEDDED:
    # The keys `make run` generated once; anything set in the environment wins.
    environ.Env.read_env(SECRETS_FILE, overwrite=False)

env = environ.Env(
    DEBUG=(bool, not EMBEDDED),
    SECRET_KEY=(str, DEFAULT_SECRET_KEY),
    ALLOWED_HOSTS=(
        list,
        LOOPBACK_HOSTS if EMBEDDED else [*LOOPBACK_HOSTS, "testserver"],
    ),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    REDIS_URL=(str, ""),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "Palvelupaja <noreply@palvelupaja.local>"),
    PSEUDONYM_KEY=(str, DEFAULT_PSEUDONYM_KEY),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    SECURE_SSL_REDIRECT=(bool, True),
    SECURE_HSTS_SECONDS=(int, 31_536_000),
    LOG_LEVEL=(str, "INFO"),
    DATABASE_POOL_MIN_SIZE=(int, 2),
    DATABASE_POOL_MAX_SIZE=(int, 10),
    DATABASE_POOL_TIMEOUT=(float, 10.0),
    REALTIME_IDLE_TIMEOUT=(float, 60.0),
    REALTIME_SEND_BUDGET_BYTES=(int, 4_000_000),
    REALTIME_SEND_BUDGET_WINDOW=(float, 10.0),
    REALTIME_STAGE_LOG=(str, ""),
    REALTIME_DB_THREADS=(int, 4),
    TEXT_WARM_UP=(bool, True),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
# Pseudonyms in the open data are keyed hashes of user ids: whoever knows this
# key can recompute them and tell who wrote what.
PSEUDONYM_KEY = env("PSEUDONYM_KEY")


def _refuse_weak_key(name: str, value: str, default: str) -> None:
    """With DEBUG off a key must be set, not the built-in one, and long."""
    if not value.strip():
        problem = "is empty"
    elif value == default:
        problem = "is the built-in default, which is public"
    elif len(value) < MIN_KEY_LENGTH:
        problem = f"is shorter than {MIN_KEY_LENGTH} characters"
    else:
        return
    raise ImproperlyConfigured(
        f"DEBUG is off but {name} {problem}. Set {name} to a long random value, "
        "e.g. the output of: python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(48))' (`make run` keeps its own in "
        "var/secrets.env)."
    )


if not DEBUG:
    _refuse_weak_key("SECRET_KEY", SECRET_KEY, DEFAULT_SECRET_KEY)
    _refuse_weak_key("PSEUDONYM_KEY", PSEUDONYM_KEY, DEFAULT_PSEUDONYM_KEY)
    if PSEUDONYM_KEY == SECRET_KEY:
        # Pseudonyms are published: one key must not also sign sessions.
        raise ImproperlyConfigured(
            "DEBUG is off but PSEUDONYM_KEY is the same as SECRET_KEY. "
            "Give each its own long random value."
        )
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
if EMBEDDED and not set(ALLOWED_HOSTS) <= set(LOOPBACK_HOSTS):
    raise ImproperlyConfigured(
        "The embedded profile serves plain http and answers only on the loopback "
        f"({', '.join(LOOPBACK_HOSTS)}); ALLOWED_HOSTS asks for "
        f"{', '.join(sorted(set(ALLOWED_HOSTS) - set(LOOPBACK_HOSTS)))}. "
        "To serve beyond this machine, run without PALVELUPAJA_PROFILE behind "
        "an HTTPS proxy."
    )
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL")

INSTALLED_APPS = [
    "daphne",
    # Our apps (listed first so their templates and commands win).
    "core",
    "accounts",
    "notifications",
    "discussions",
    "cms",
    "participation",
    "feedback",
    "advice",
    "ideas",
    "workshops",
    "insights",
    "search",
    "opendata",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users.UsersAppConfig",  # wagtail.users, for our User
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "channels",
    "rest_framework",
    "rest_framework_api_key",  # core.ApiKey builds on its abstract key
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so its process_exception is asked first: a pool timeout is a 503.
    "core.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# No persistent connections (CONN_MAX_AGE 0): under ASGI every request runs in
# its own thread, so a connection kept per thread is never reused, only piles up.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the daphne process read while another request writes; the busy
    # timeout turns short write contention into a wait instead of an error.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env("REALTIME_DB_THREADS") >= env("DATABASE_POOL_MAX_SIZE"):
        # Each stream thread holds a connection while it works; leave some for
        # requests and the thread-sensitive calls (core/realtime/dbcalls.py).
        raise ImproperlyConfigured(
            "REALTIME_DB_THREADS must be smaller than DATABASE_POOL_MAX_SIZE."
        )
    if env("DATABASE_POOL_MIN_SIZE") > env("DATABASE_POOL_MAX_SIZE"):
        raise ImproperlyConfigured(
            "DATABASE_POOL_MIN_SIZE is larger than DATABASE_POOL_MAX_SIZE."
        )
    # PostgreSQL: each process borrows from its own psycopg pool of at most
    # DATABASE_POOL_MAX_SIZE connections; a request that waits longer than
    # DATABASE_POOL_TIMEOUT seconds for one answers 503 (core.middleware).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # the pool checks on lending
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env("DATABASE_POOL_MIN_SIZE"),
        "max_size": env("DATABASE_POOL_MAX_SIZE"),
        "timeout": env("DATABASE_POOL_TIMEOUT"),
        "name": "palvelupaja",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
# Messages a process-local channel may hold before the layer drops new ones
# (channels' default is 100). On Redis every socket and hub channel of one daphne
# shares one key and so one capacity, and the stream hub's channel carries every
# event and typing indicator of the process's streams: at 300 chats on one
# daphne, a one-second stall of its event loop queues ~150, and at 100 events
# were dropped (lost messages, and gaps the hub passed over as out of order).
# 2,000 small messages are a few MB of Redis; they still expire after 60 s.
PROCESS_CHANNEL_CAPACITY = {"specific.*": 2000}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # No socket timeout. A socket waits on Redis in blocking pops of
                # 5 s (channels_redis' brpop_timeout); redis-py 8's default read
                # timeout is also 5 s, so a quiet socket's pop raced it and its
                # consumer died (1011). And with any timeout set, redis-py times
                # each write with asyncio.wait_for, which on Python 3.11 swallows
                # a cancellation that comes as the write ends: a closed socket's
                # (or a hub's) receive then went on popping for ever, and the
                # event loop could not stop. A dead Redis is still noticed: the
                # connections keep TCP keepalive on (redis-py's default, ~45 s).
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "prefix": "palvelupaja",
                "channel_capacity": PROCESS_CHANNEL_CAPACITY,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "palvelupaja",
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            # Every channel, as this layer reads `channel_capacity` uncompiled.
            "CONFIG": {"capacity": PROCESS_CHANNEL_CAPACITY["specific.*"]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "palvelupaja",
        }
    }

# --- Realtime sockets (core/realtime/consumer.py) -----------------------------------
# A socket with no client frame for this many seconds is closed (clients ping
# every 25 s); a socket sent more than the budget's bytes in its window is closed
# (it is not reading, and daphne would buffer for it without limit).
REALTIME_IDLE_TIMEOUT = env("REALTIME_IDLE_TIMEOUT")
REALTIME_SEND_BUDGET_BYTES = env("REALTIME_SEND_BUDGET_BYTES")
REALTIME_SEND_BUDGET_WINDOW = env("REALTIME_SEND_BUDGET_WINDOW")
# A file to append each change's stage timings to (core/realtime/stages.py), one
# JSON line per change and per hub fan-out; empty (the default) times nothing.
REALTIME_STAGE_LOG = env("REALTIME_STAGE_LOG")
# Threads running the streams' database work in each process on PostgreSQL
# (core/realtime/dbcalls.py); 1 keeps it on Channels' one database thread.
REALTIME_DB_THREADS = env("REALTIME_DB_THREADS")
# A server loads the lemmatiser's dictionaries before it listens (config/asgi.py);
# the tests' processes and servers load them on first use instead.
TEXT_WARM_UP = env("TEXT_WARM_UP")

# --- Feedback imports (feedback/services/imports.py) ---------------------------
# How often the job loop pulls every active GeoReport v2 import source.
FEEDBACK_IMPORT_EVERY_MINUTES = env.int("FEEDBACK_IMPORT_EVERY_MINUTES", default=15)

# --- Site search (search/views.py) --------------------------------------------
# Searches one address may make a minute (a person pages and refines; a script
# floods). The benchmark, whose requests all come from 127.0.0.1, raises it.
SEARCH_RATE_LIMIT = (env.int("SEARCH_PER_MINUTE", default=60), 60)

# --- E-mail ------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts ----------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guesses (accounts/password_guard.py): checks one address gets on one
# account in the window; failures one address gets on all accounts (a library or
# school shares one); the longest wait, doubling, once an account is guessed at
# from everywhere.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
LOGIN_ADDRESS_LIMIT = 50
LOGIN_MAX_DELAY_SECONDS = 60
# Password reset e-mails one IP address may ask for in an hour.
PASSWORD_RESET_LIMIT = 10
# Accounts one IP address may create in an hour.
SIGNUP_LIMIT = 10
# The admin's log-in counts failures like the site's; its user screens know our User.
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.AdminLoginForm"

# --- Internationalisation ----------------------------------------------------

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Under daphne in DEBUG, whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Wagtail -----------------------------------------------------------------

WAGTAIL_SITE_NAME = "Palvelupaja"
WAGTAILADMIN_BASE_URL = SITE_URL
# No Gravatar: it would send a hash of every staff member's e-mail to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- REST framework ----------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Palvelupaja open data API",
    "DESCRIPTION": (
        "What the cities heard, opened at once under CC BY 4.0. No login needed: "
        "60 requests a minute per client, 600 with an API key issued by the "
        "administrators (send `Authorization: Api-Key <key>` or `X-Api-Key`; a "
        "wrong or revoked key gets 401). Every response states the limit in "
        "X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset. Lists "
        "are cursor-paginated by (updated_at, id); with `updated_since`, removed "
        "rows come as tombstones (`id`, `removed: true`, `updated_at`)."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["config.spectacular.public_api_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.schema.describe_query_parameters",
    ],
    # The API key is optional: without one a client gets the anonymous limit.
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "ApiKey": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Api-Key",
                "description": "An API key issued by the administrators: 600 "
                "requests a minute instead of 60. Also accepted as "
                "`Authorization: Api-Key <key>`.",
            }
        }
    },
    "SECURITY": [{"ApiKey": []}],  # drf-spectacular adds {} (AllowAny)
}

# --- Security ----------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the board's ES module reads it for fetch() posts
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"
# Production (DEBUG off, no profile) is HTTPS only. The embedded profile serves
# plain http on the loopback: no redirect, no HSTS, cookies without Secure.
if not DEBUG and not EMBEDDED:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
    SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# No inline scripts anywhere on the public site. The Wagtail admin is excluded:
# it is a trusted, logged-in tool whose own assets we do not control.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/v1/docs/swagger/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": (
            ["'self'", "ws:", "wss:"] if DEBUG or EMBEDDED else ["'self'", "wss:"]
        ),
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Feedback's map (Leaflet, vendored in static/vendor/leaflet/): the tile server
# is a setting, and the CSP lets map images come from that server's origin only.
# Without tiles (an empty setting) the form has no map, only the address field.
FEEDBACK_MAP_TILES = env.str(
    "FEEDBACK_MAP_TILES", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
FEEDBACK_MAP_ATTRIBUTION = env.str(
    "FEEDBACK_MAP_ATTRIBUTION", default="© OpenStreetMap contributors"
)
# Where the map opens before the resident picks a place (lat, long, zoom).
FEEDBACK_MAP_CENTER = (60.1699, 24.9384, 12)


def _tile_origin(url: str) -> str:
    """The CSP source for a tile URL template: `{s}` subdomains become `*`."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = parts.netloc.replace("a.", "*.", 1) if "{s}." in url else parts.netloc
    return f"{parts.scheme}://{host}"


if _tile_origin(FEEDBACK_MAP_TILES):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        _tile_origin(FEEDBACK_MAP_TILES)
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
