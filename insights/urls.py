"""The insights pages."""

from django.urls import path

from insights.themes import views as theme_views

app_name = "insights"

urlpatterns: list = [
    path("themes/", theme_views.theme_cities, name="themes"),
    path("themes/<slug:slug>/", theme_views.theme_list, name="themes_city"),
    path("themes/edit/<int:pk>/", theme_views.theme_edit, name="themes_edit"),
]
