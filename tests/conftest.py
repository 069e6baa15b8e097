"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache


def pytest_configure(config):
    from tests import db_reset

    db_reset.install()


def pytest_collection_modifyitems(items):
    """Give every transactional test the database state the migrations made.

    A transactional test ends with a flush, which removes what migrations created
    (content types, permissions, Wagtail's root page, the locales). With serialized
    rollback each transactional test starts from that state again, whatever ran
    before it, so the suite's order cannot break a test.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if marker.kwargs.get("serialized_rollback"):
            continue
        kwargs = {**marker.kwargs, "serialized_rollback": True}
        item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Tests close every database connection when its request or consumer call
    ends: a connection kept alive (CONN_MAX_AGE) in a worker thread that the test
    never sees again would stop PostgreSQL from dropping the test database."""
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    connections["default"].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True, scope="session")
def _no_dictionary_warm_up():
    """The tests' WebSocket application (`config.asgi`, imported by the first
    socket test) does not load the lemmatiser's dictionaries as a server does:
    seconds of CPU a test process may not need (they load on first use)."""
    from django.conf import settings

    settings.TEXT_WARM_UP = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The real hasher costs ~0.3 s a password (1,000,000 PBKDF2 rounds) and the
    factories give every user one: most of the suite's time went there. What a
    hash is made with does not change what the tests check. PBKDF2 stays second,
    to check the passwords that module-wide fixtures hashed before this ran."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request to /sv/ or /en/ (or an API answer in the visitor's language)
    leaves that language active in the thread; the next test starts in the
    site's language, as a new request would."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _stream_threads_let_go():
    """A socket's last database call may end after the test locked the database
    again; its thread then keeps a connection, which must not outlive the test."""
    yield
    from core.realtime import dbcalls

    dbcalls.close_connections()


@pytest.fixture
def city(db):
    from tests.factories import CityFactory

    return CityFactory(slug="helsinki", name_fi="Helsinki", name_sv="Helsingfors")


@pytest.fixture
def other_city(db):
    from tests.factories import CityFactory

    return CityFactory(slug="turku", name_fi="Turku", name_sv="Åbo")


@pytest.fixture
def home_page(db):
    """A minimal page tree: the Wagtail root with our HomePage as the site root."""
    from wagtail.models import Page, Site

    from cms.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Palvelupaja", slug="palvelupaja"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@pytest.fixture
def city_page(home_page, city):
    from cms.models import CityPage

    return home_page.add_child(
        instance=CityPage(title=city.name_fi, slug=city.slug, city=city)
    )


@pytest.fixture
def places(city):
    """Two districts of `city` and two topics, by name."""
    from core.models import District, Topic

    return {
        "kallio": District.objects.create(city=city, slug="kallio", name_fi="Kallio"),
        "vallila": District.objects.create(
            city=city, slug="vallila", name_fi="Vallila"
        ),
        "culture": Topic.objects.create(slug="kulttuuri", name_fi="Kulttuuri"),
        "mobility": Topic.objects.create(slug="liikenne", name_fi="Liikenne"),
    }
