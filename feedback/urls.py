"""The public feedback pages: the knowledge base, giving feedback, following it."""

from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns: list = [
    # Giving feedback and following it (intake).
    path("new/", views.feedback_new, name="new"),
    path("new/sent/", views.feedback_sent, name="sent"),
    path("similar/", views.feedback_similar, name="similar"),
    path("track/<str:token>/", views.feedback_track, name="track"),
    path("track/<str:token>/withdraw/", views.feedback_withdraw, name="withdraw"),
    path("mine/<int:pk>/", views.feedback_mine, name="mine"),
    path("mine/<int:pk>/withdraw/", views.feedback_mine_withdraw, name="mine_withdraw"),
    path("photos/<str:name>", views.feedback_photo, name="photo"),
]
