from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from opendata import api, datasets, formats

app_name = "opendata"

urlpatterns = [
    path("", api.ApiRoot.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The schema read out as a page of the site is in `opendata.docs_urls`, in
    # each language (Swagger UI's markup fails WCAG 2.1 AA and needs inline
    # scripts); Swagger UI stays one level down, language-neutral.
    path(
        "docs/swagger/",
        SpectacularSwaggerView.as_view(url_name="opendata:schema"),
        name="swagger",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="opendata:schema"),
        name="redoc",
    ),
    path("catalog.jsonld", api.Catalog.as_view(), name="catalog"),
    # Before the general pattern, which would read `comments.excel` as the name.
    path(
        "exports/<slug:dataset>.excel.csv",
        api.Export.as_view(),
        {"fmt": formats.EXCEL_CSV},
        name="export-excel",
    ),
    path(
        "exports/<str:dataset>.<str:fmt>",
        api.Export.as_view(),
        name="export",
    ),
    path(
        "participation-stats/",
        api.ParticipationStats.as_view(),
        name="participation-stats",
    ),
    path("advice-stats/", api.AdviceStats.as_view(), name="advice-stats"),
    *[
        path(f"{name}/", api.list_view_for(dataset), name=name)
        for name, dataset in datasets.listed().items()
    ],
]
