"""The feedback handlers' admin: the queue, the overdue view and one item's page
under /admin/feedback/, a menu item for handlers, and the services and agencies
(`feedback.admin_viewsets`)."""

import rules
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from feedback import admin_views
from feedback.admin_viewsets import FeedbackSetup

admin_urlpatterns = [
    path("", admin_views.queue_view, name="queue"),
    path("overdue/", admin_views.queue_view, {"overdue": True}, name="overdue"),
    path("<int:item_id>/", admin_views.item_view, name="item"),
]


@hooks.register("register_admin_urls")
def register_feedback_admin_urls():
    return [
        path(
            "feedback/",
            include((admin_urlpatterns, "feedback_admin"), namespace="feedback_admin"),
        )
    ]


class QueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return rules.test_rule("feedback.handle_somewhere", request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return QueueMenuItem(
        _("Feedback queue"),
        reverse("feedback_admin:queue"),
        name="feedback-queue",
        icon_name="mail",
        order=240,
    )


@hooks.register("register_admin_viewset")
def register_feedback_setup():
    return FeedbackSetup()
