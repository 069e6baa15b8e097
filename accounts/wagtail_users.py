"""Wagtail's user admin, pointed at our e-mail based User (see admin_users)."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.admin_users.UserViewSet"
