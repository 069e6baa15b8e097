from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Insight")

    def ready(self) -> None:
        from insights import registrations

        registrations.register()
