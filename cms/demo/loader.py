"""Load the whole demo: the site's own pages and users, then each app's `demo.py`."""

import importlib

from django.core.management.base import OutputWrapper
from django.db import transaction

from cms.demo.cities import cities as load_cities
from cms.demo.content_pages import content_pages
from cms.demo.home import home_pages
from cms.demo.places import places
from cms.demo.site import DemoSite
from cms.demo.users import users as load_users

# The apps whose `demo.load(...)` runs after the site, in this order.
DEMO_APPS = (
    "participation",
    "ideas",
    "workshops",
    "feedback",
    "advice",
    "insights",
    "opendata",
    "search",  # last: it indexes what the others made public
)


@transaction.atomic
def load(*, stdout: OutputWrapper) -> int:
    """Create whatever of the demo is missing; return how many site objects."""
    site = DemoSite(stdout)
    homes = home_pages(site)
    cities, city_pages = load_cities(site, homes)
    places(site, cities)
    content_pages(site, homes)
    users = load_users(site, cities)
    for app in DEMO_APPS:
        _app_demo(app, stdout, cities, city_pages, users)
    return site.created


def _app_demo(app: str, stdout: OutputWrapper, cities, city_pages, users) -> None:
    # Looked up by name at run time: an app without a `demo` module is skipped.
    try:
        module = importlib.import_module(f"{app}.demo")
    except ModuleNotFoundError as error:
        if error.name != f"{app}.demo":
            raise
        return
    stdout.write(f"{app}: demo content")
    module.load(cities=cities, city_pages=city_pages, users=users, stdout=stdout)
