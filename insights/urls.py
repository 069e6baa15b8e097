"""The insights pages: the staff dashboards and their CSV downloads."""

from django.urls import path

from insights import views
from insights.themes import views as theme_views

app_name = "insights"

CITY = "city/<slug:city>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(CITY, views.city_dashboard, name="city"),
    path(CITY + "<slug:table>.csv", views.city_dashboard, name="city_csv"),
    path(CITY + "services/<int:page_id>/", views.service_dashboard, name="service"),
    path(
        CITY + "services/<int:page_id>/<slug:table>.csv",
        views.service_dashboard,
        name="service_csv",
    ),
    path(
        CITY + "workshops/<int:workshop_id>/", views.workshop_dashboard, name="workshop"
    ),
    path(
        CITY + "workshops/<int:workshop_id>/<slug:table>.csv",
        views.workshop_dashboard,
        name="workshop_csv",
    ),
    path(CITY + "dreams/<slug:topic>/", views.dreams_dashboard, name="dreams"),
    path(
        CITY + "dreams/<slug:topic>/<slug:table>.csv",
        views.dreams_dashboard,
        name="dreams_csv",
    ),
    path("themes/", theme_views.theme_cities, name="themes"),
    path("themes/<slug:slug>/", theme_views.theme_list, name="themes_city"),
    path("themes/edit/<int:pk>/", theme_views.theme_edit, name="themes_edit"),
]
