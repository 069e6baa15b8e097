from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        import notifications.rules  # noqa: F401  (registers the named rules)
        from accounts import header
        from core.jobs import register_job  # imports models: not before ready()
        from core.models import District, Topic
        from notifications import registrations, registry

        # A district or a topic: a new consultation there reaches its followers.
        registry.register_followable(District)
        registry.register_followable(Topic)
        header.register(
            "notifications.centre",
            label=_("Notifications"),
            url="notifications:centre",
            section=header.ACCOUNT,
            rule="accounts.is_signed_in",
            count=registrations.unread_count,
            count_label=_("unread"),
            order=12,
        )
        register_job(
            "send_digests_daily",
            every=timedelta(days=1),
            command="send_digests",
            args=("--daily",),
        )
        register_job(
            "send_digests_weekly",
            every=timedelta(days=7),
            command="send_digests",
            args=("--weekly",),
        )
