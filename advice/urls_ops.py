"""The desk's pages for offline questions and publishing, in the `advice`
namespace through `advice/urls.py` (`*urls_ops.urlpatterns`)."""

from django.urls import path

from advice import views_offline, views_publish

urlpatterns = [
    path("desk/offline/", views_offline.offline_list, name="offline_list"),
    path(
        "desk/offline/<int:chat_id>/",
        views_offline.offline_answer_view,
        name="offline_answer",
    ),
    path(
        "desk/chats/<int:chat_id>/publish/",
        views_publish.publish_view,
        name="publish",
    ),
]
