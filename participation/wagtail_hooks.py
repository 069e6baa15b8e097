import rules
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from participation import admin_views
from participation.models import Lifecycle, PlannedServicePage
from participation.places_admin import PlacesAndTopics

admin_urlpatterns = [
    path(
        "services/<int:page_id>/answer/",
        admin_views.answer_publish_view,
        name="answer_publish",
    ),
]


@hooks.register("register_admin_urls")
def register_participation_urls():
    return [
        path(
            "participation/",
            include(
                (admin_urlpatterns, "participation_admin"),
                namespace="participation_admin",
            ),
        )
    ]


def _answer_button(page, user, priority):
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if not isinstance(specific, PlannedServicePage):
        return
    if specific.answer_published_at or specific.status == Lifecycle.WITHDRAWN:
        return
    if rules.has_perm("participation.publish_answer", user, specific):
        yield Button(
            _("Publish the city's answer"),
            reverse("participation_admin:answer_publish", args=[page.pk]),
            icon_name="comment",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def answer_listing_button(page, user, next_url=None):
    yield from _answer_button(page, user, 45)


@hooks.register("register_page_header_buttons")
def answer_header_button(page, user, view_name, next_url=None):
    yield from _answer_button(page, user, 55)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    # The shared state changes without a page revision: the page's history
    # (every language version's) says who changed it.
    actions.register_action(
        "participation.status_set",
        _("Change the service's status"),
        _("Service status changed in every language version"),
    )
    actions.register_action(
        "participation.answer_publish",
        _("Publish the city's answer"),
        _("The city's answer published"),
    )


@hooks.register("register_admin_viewset")
def register_places_and_topics():
    return PlacesAndTopics()
