"""The public feedback pages: the knowledge base, giving feedback, following it."""

from django.urls import path

from feedback import kb_views, views

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
