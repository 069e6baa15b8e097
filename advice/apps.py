from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = _("Advice desk")

    def ready(self) -> None:
        # Retention: transcripts go after the city's period (a job every 6 h;
        # every read checks the period too, `advice.retention`).
        from advice import registrations

        registrations.register()
