from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from accounts.roles import cities_with_role
from ideas import admin_views
from ideas.models import IdeasCitySettings, Topic
from ideas.services import TRIAGE_ROLES

admin_urlpatterns = [path("", admin_views.triage, name="triage")]


@hooks.register("register_admin_urls")
def register_ideas_admin_urls():
    return [
        path(
            "dreams/",
            include((admin_urlpatterns, "ideas_admin"), namespace="ideas_admin"),
        )
    ]


class TriageMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return cities_with_role(request.user, *TRIAGE_ROLES).exists()


@hooks.register("register_admin_menu_item")
def register_triage_menu_item():
    return TriageMenuItem(
        _("Service dreams"),
        reverse("ideas_admin:triage"),
        name="dreams",
        icon_name="pick",
        order=300,
    )


register_snippet(Topic)
register_snippet(IdeasCitySettings)
