from django.urls import path

from discussions import views

app_name = "discussions"

urlpatterns = [
    path(
        "<int:discussion_id>/comments/",
        views.comment_create_view,
        name="comment_create",
    ),
    path(
        "<int:discussion_id>/support/",
        views.discussion_support_view,
        name="discussion_support",
    ),
    path(
        "comments/<int:comment_id>/reply/",
        views.comment_reply_view,
        name="comment_reply",
    ),
    path(
        "comments/<int:comment_id>/like/", views.comment_like_view, name="comment_like"
    ),
    path(
        "comments/<int:comment_id>/edit/", views.comment_edit_view, name="comment_edit"
    ),
    path(
        "comments/<int:comment_id>/delete/",
        views.comment_delete_view,
        name="comment_delete",
    ),
    path(
        "comments/<int:comment_id>/report/",
        views.comment_report_view,
        name="comment_report",
    ),
]
