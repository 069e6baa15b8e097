"""The public feedback pages: the knowledge base, giving feedback, following it."""

from django.urls import path

from feedback import kb_views, views

app_name = "feedback"

urlpatterns: list = [
    # Giving feedback and following it (intake).
    path("track/<str:token>/", views.feedback_photo, name="track"),
    path("photos/<str:name>", views.feedback_photo, name="photo"),
    # The knowledge base.
    path("", kb_views.item_list, name="list"),
    path("<int:pk>/", kb_views.item_detail, name="item"),
    path("<int:pk>/support/", kb_views.item_support_view, name="item_support"),
    path(
        "<int:pk>/support/withdraw/",
        kb_views.item_support_withdraw_view,
        name="item_support_withdraw",
    ),
    path("<int:pk>/follow/", kb_views.item_follow, name="item_follow"),
    path("<int:pk>/comments/", kb_views.item_comment, name="item_comment"),
]
