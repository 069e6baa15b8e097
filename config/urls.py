from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.media import media_serve
from core.views import default_language_unprefixed, healthz

# Friendly pages in the address's language (core/error_pages.py). A pool
# timeout outside a view still answers 503 (core.middleware), not 500.
handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
handler500 = "core.views.server_error"

# Language-neutral: machines, the admin and the health check.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The icon browsers ask for at the root; the file is a static one.
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.ico", permanent=True),
    ),
    # Finnish has no prefix: /fi/… is the same page at /….
    re_path(
        rf"^{settings.LANGUAGE_CODE}(?:/.*)?$",
        default_language_unprefixed,
        name="default_language_unprefixed",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Uploads, each asked about by the apps' visibility checks (core/media.py).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media_serve, name="media"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("opendata.urls")),
    path("api/georeport/v2/", include("feedback.api.urls")),
]

# Pages people read: Finnish without a prefix, /sv/… and /en/… for the others.
urlpatterns += i18n_patterns(
    # The API's documentation page; its machine addresses stay above, unprefixed.
    path("api/v1/", include("opendata.docs_urls")),
    path("accounts/", include("notifications.urls")),
    path("accounts/", include("accounts.urls")),
    path("discussions/", include("discussions.urls")),
    path("dreams/", include("ideas.urls")),
    path("feedback/", include("feedback.urls")),
    path("advice/", include("advice.urls")),
    path("insights/", include("insights.urls")),
    path("reports/", include("insights.report_urls")),
    path("search/", include("search.urls")),
    path("", include("workshops.urls")),
    # Wagtail's catch-all must stay last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
