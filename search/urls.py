"""The search pages."""

from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("zero-results/", views.zero_results, name="zero_results"),
]
