"""Addresses of the panel pages, included in `workshops.urls` (one namespace)."""

from django.urls import path

from workshops.panels import views

urlpatterns = [
    path("panels/", views.panel_list, name="panel_list"),
    path("panels/new/", views.panel_create, name="panel_create"),
    path("panels/<int:pk>/", views.panel_detail, name="panel_detail"),
    path("panels/<int:pk>/apply/", views.panel_apply, name="panel_apply"),
    path("panels/<int:pk>/withdraw/", views.panel_withdraw, name="panel_withdraw"),
    path("panels/<int:pk>/respond/", views.panel_respond, name="panel_respond"),
    path("panels/<int:pk>/manage/", views.panel_manage, name="panel_manage"),
    path("panels/<int:pk>/draw/", views.panel_draw, name="panel_draw"),
    path(
        "panels/<int:pk>/close/",
        views.panel_close_applications,
        name="panel_close_applications",
    ),
    path("panels/<int:pk>/end/", views.panel_end, name="panel_end"),
    path(
        "panels/<int:pk>/criteria/",
        views.panel_criterion_add,
        name="panel_criterion_add",
    ),
    path("panels/<int:pk>/pool.json", views.panel_pool, name="panel_pool"),
    path(
        "panels/<int:pk>/meetings/", views.panel_meeting_add, name="panel_meeting_add"
    ),
    path(
        "panels/<int:pk>/meetings/<int:meeting_id>/join/",
        views.panel_meeting_join,
        name="panel_meeting_join",
    ),
    path(
        "panels/<int:pk>/meetings/<int:meeting_id>/attendance/",
        views.panel_attendance,
        name="panel_attendance",
    ),
]
