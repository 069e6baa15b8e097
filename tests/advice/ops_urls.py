"""The site's URLs with the desk's offline and publishing pages under
`/advice/` in the `advice` namespace, until `advice/urls.py` includes them."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from advice import urls_ops
from config.urls import urlpatterns as site

urlpatterns = [
    *i18n_patterns(
        path("advice/", include((urls_ops.urlpatterns, "advice"), namespace="advice")),
        prefix_default_language=False,
    ),
    *site,
]
