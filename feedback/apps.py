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
        # Handling: followers hear of status changes and answers (public items).
        from feedback.models import FeedbackItem
        from feedback.services import notices
        from notifications import registry

        registry.register_followable(FeedbackItem)
        registry.register_kind(
            notices.STATUS_KIND,
            label=_("Feedback's status changed"),
            describe=notices.describe,
        )
        registry.register_kind(
            notices.ANSWER_KIND,
            label=_("The city answered feedback"),
            describe=notices.describe,
        )
        # Handlers reach their queue from the site header too.
        from accounts import header

        header.register(
            "feedback.queue",
            label=_("Feedback queue"),
            url="feedback_admin:queue",
            section=header.ACCOUNT,
            rule="feedback.handle_somewhere",
            order=35,
        )
        # Retention: closed items' contact details go after the city's period.
        register_job("purge_feedback_contacts", every=timedelta(hours=6))
