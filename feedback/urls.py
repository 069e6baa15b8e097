"""The public feedback pages: the knowledge base, giving feedback, following it."""

from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns: list = [
    # Giving feedback and following it (intake).
    path("track/<str:token>/", views.feedback_photo, name="track"),
    path("photos/<str:name>", views.feedback_photo, name="photo"),
]
