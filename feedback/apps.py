from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        # Intake: photos are served by visibility (core.media).
        from core import media
        from feedback.photos import PHOTO_FOLDER, photo_visible

        media.register(PHOTO_FOLDER, photo_visible)
