"""`/api/georeport/v2/`: every path in `.json` and `.xml` (language-neutral)."""

from django.urls import path, re_path

from feedback.api import openapi, views

app_name = "georeport"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", views.discovery, {"fmt": "json"}, name="root"),
    path("openapi.json", openapi.openapi_document, name="openapi"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FMT, views.service_detail, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<pk>[^/]+?)" + FMT, views.request_detail, name="request"),
    # Anything else under the API is an Open311 404, not the site's HTML page.
    re_path(r"^.*\.xml$", views.unknown, {"fmt": "xml"}),
    re_path(r"^.*$", views.unknown, {"fmt": "json"}),
]
