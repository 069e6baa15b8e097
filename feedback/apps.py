from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        # Intake: photos are served by visibility (core.media); senders find their
        # feedback in their activity and their data export.
        from accounts import activity, personal_data
        from core import media
        from feedback import registrations
        from feedback.photos import PHOTO_FOLDER, photo_visible

        media.register(PHOTO_FOLDER, photo_visible)
        activity.register("feedback.items", registrations.feedback_activity)
        personal_data.register("feedback", registrations.feedback_personal_data)
