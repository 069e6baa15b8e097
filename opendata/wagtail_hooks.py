from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from opendata import admin_views

admin_urlpatterns = [
    path("", admin_views.api_keys, name="api_keys"),
    path("<str:prefix>/revoke/", admin_views.api_key_revoke, name="api_key_revoke"),
]


@hooks.register("register_admin_urls")
def register_opendata_admin_urls():
    return [
        path(
            "api-keys/",
            include((admin_urlpatterns, "opendata_admin"), namespace="opendata_admin"),
        )
    ]


class ApiKeysMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_api_keys_menu_item():
    return ApiKeysMenuItem(
        _("Open data API keys"),
        reverse("opendata_admin:api_keys"),
        name="api-keys",
        icon_name="key",
        order=900,
    )
