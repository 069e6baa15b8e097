from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from core.jobs import register_job  # imports models: not before ready()

        # Imports: the sources in the admin; the job pulls the active ones.
        from feedback import import_admin  # noqa: F401 - registers the viewset

        register_job(
            "import_georeport",
            every=timedelta(minutes=settings.FEEDBACK_IMPORT_EVERY_MINUTES),
            args=("--active",),
        )
