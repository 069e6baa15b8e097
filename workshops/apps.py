from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from accounts import personal_data
        from workshops.personal_data import workshops_personal_data

        personal_data.register("workshops", workshops_personal_data)
