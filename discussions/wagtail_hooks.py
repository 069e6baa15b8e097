"""The comment moderation screens in the Wagtail admin, and their menu item."""

import rules
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from discussions import admin_views

admin_urlpatterns = [
    path("", admin_views.moderation_queue_view, name="moderation"),
    path(
        "comments/<int:comment_id>/",
        admin_views.moderation_action_view,
        name="moderation_action",
    ),
    path("blocks/<int:block_id>/unblock/", admin_views.unblock_view, name="unblock"),
]


@hooks.register("register_admin_urls")
def register_discussions_urls():
    return [
        path(
            "discussions/",
            include(
                (admin_urlpatterns, "discussions_admin"),
                namespace="discussions_admin",
            ),
        )
    ]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return rules.test_rule("discussions.open_moderation_queue", request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Comment moderation"),
        reverse("discussions_admin:moderation"),
        icon_name="comment",
        order=250,
    )
