from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
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
        activity.register_session(
            "feedback.follow_up", registrations.follow_up_activity
        )
        personal_data.register("feedback", registrations.feedback_personal_data)

        from core import searchables

        searchables.register(
            registrations.FEEDBACK_SEARCH_KIND,
            label=_("Feedback and answers"),
            documents=registrations.feedback_documents,
            all_ids=registrations.public_feedback_ids,
            dependents=registrations.feedback_dependents,
            order=50,
        )

        from core.jobs import register_job  # imports models: not before ready()

        # Handling: followers hear of status changes and answers (public items).
        from feedback.models import FeedbackItem
        from feedback.services import notices
        from notifications import registry

        registry.register_followable(FeedbackItem, visible=registrations.item_visible)
        # Commenting on feedback follows it; the comments are found under the
        # item's district.
        from discussions.targets import register_target_places, register_target_resolver

        register_target_resolver("feedback.feedbackitem", registrations.item_for_key)
        register_target_places("feedback.feedbackitem", registrations.feedback_places)
        registry.register_kind(
            notices.STATUS_KIND,
            label=_("Feedback's status changed"),
            describe=notices.describe,
            visible=registrations.item_visible,
        )
        registry.register_kind(
            registrations.NEW_KIND,
            label=_("New feedback to handle"),
            describe=registrations.describe_new_item,
            visible=registrations.item_not_withdrawn,
        )
        registry.register_kind(
            notices.ANSWER_KIND,
            label=_("The city answered feedback"),
            describe=notices.describe,
            visible=registrations.item_visible,
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

        # The knowledge base: the header link, its comments' visibility.
        from feedback.kb_registrations import register_knowledge_base

        register_knowledge_base()

        # Imports: the sources in the admin; the job pulls the active ones.
        from feedback import import_admin  # noqa: F401 - registers the viewset

        register_job(
            "import_georeport",
            every=timedelta(minutes=settings.FEEDBACK_IMPORT_EVERY_MINUTES),
            args=("--active",),
        )
