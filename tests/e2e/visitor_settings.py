"""The site as a visitor sees it (DEBUG off: the site's own error pages, not
Django's technical ones), for the accessibility tests. The development settings
are loaded first, so static files are still served from the finders and no key
or HTTPS checks apply to this loopback test server."""

from config.settings import *  # noqa: F403

DEBUG = False
