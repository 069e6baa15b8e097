"""The API's documentation page, a page people read: config/urls.py mounts it
with the site's language prefixes (`/api/v1/docs/`, `/sv/api/v1/docs/`,
`/en/api/v1/docs/`), while the machine addresses in `opendata.urls` carry none."""

from django.urls import path

from opendata import docs

app_name = "opendata_docs"

urlpatterns = [
    path("docs/", docs.api_docs, name="docs"),
]
