import rules
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from ideas import admin_views, services
from ideas.models import IdeasCitySettings

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
        return rules.has_perm("ideas.triage_dream", request.user, None)


@hooks.register("register_admin_menu_item")
def register_triage_menu_item():
    return TriageMenuItem(
        _("Service dreams"),
        reverse("ideas_admin:triage"),
        name="dreams",
        icon_name="pick",
        order=300,
    )


register_snippet(IdeasCitySettings)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def sync_dream_discussions(request, instance) -> None:
    """A city's dream threads take anonymous comments exactly when its settings
    say so: their rule is stored on each thread, so bring them up to date."""
    if isinstance(instance, IdeasCitySettings):
        services.city_dream_discussions_sync(city=instance.city)


@hooks.register("after_delete_snippet")
def sync_dream_discussions_after_delete(request, instances) -> None:
    for instance in instances:
        if isinstance(instance, IdeasCitySettings):
            services.city_dream_discussions_sync(city=instance.city)
