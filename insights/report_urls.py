"""The public reports (`/reports/…`)."""

from django.urls import path

from insights import report_views as views

app_name = "reports"

urlpatterns = [
    path("services/<int:page_id>/", views.service, name="service"),
    path("services/<int:page_id>/<slug:table>.csv", views.service, name="service_csv"),
    path("workshops/<int:workshop_id>/", views.workshop, name="workshop"),
    path(
        "workshops/<int:workshop_id>/<slug:table>.csv",
        views.workshop,
        name="workshop_csv",
    ),
    path("dreams/<slug:city>/<slug:topic>/", views.dreams, name="dreams"),
    path(
        "dreams/<slug:city>/<slug:topic>/<slug:table>.csv",
        views.dreams,
        name="dreams_csv",
    ),
]
