from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.centre, name="centre"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("following/", views.following, name="following"),
    path("following/deliveries/", views.deliveries, name="deliveries"),
    path("following/follow/", views.follow, name="follow"),
]
