from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self) -> None:
        from accounts import personal_data
        from discussions.personal_data import discussions_personal_data

        # Registered under the name the export has always used for comments,
        # likes, positions and reports, so downloads keep their shape.
        personal_data.register("participation", discussions_personal_data)
