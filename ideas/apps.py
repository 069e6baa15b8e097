from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Service dreams")

    def ready(self) -> None:
        from accounts import personal_data
        from ideas.personal_data import ideas_personal_data

        personal_data.register("ideas", ideas_personal_data)
