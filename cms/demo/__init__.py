"""The demo site for `manage.py load_demo`: two cities, three languages, the apps' demo.

Idempotent: everything is looked up by a stable key (city slug, page slug under
its parent, translation of a page, e-mail address) and created only when missing,
so loading again creates nothing and never overwrites an editor's changes.

- `blocks`: the languages and the StreamField block helpers the texts use
- `site`: `DemoSite`, the locales, the report and page translations of one run
- `home`, `cities`, `users`: the home page, the cities and their pages, the users
- `content_pages` with `privacy`, `house_rules`, `accessibility`, `open_data`:
  the standard pages and their texts
- `loader`: `load()`, which runs them all, then each app's `<app>/demo.py`
"""

from cms.demo.blocks import LANGUAGES
from cms.demo.loader import DEMO_APPS, load
from cms.demo.users import DEMO_PASSWORD, DEMO_USERS

__all__ = ["DEMO_APPS", "DEMO_PASSWORD", "DEMO_USERS", "LANGUAGES", "load"]
