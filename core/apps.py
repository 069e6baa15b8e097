from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core.jobs import register_job  # imports models: not before ready()

        register_job("send_queued_mail", every=timedelta(minutes=1))
        # Retention: expired sessions (anonymous actors' keys live in them).
        register_job("clearsessions", every=timedelta(days=1))
