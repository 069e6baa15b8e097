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

        from accounts import activity, header
        from discussions import registrations
        from notifications import registry

        activity.register("discussions.comments", registrations.comment_activity)
        registry.register_kind(
            registrations.REPLY_KIND,
            label=_("Someone replied to your comment"),
            describe=registrations.describe_reply,
            visible=registrations.reply_visible,
        )
        registry.register_kind(
            registrations.MODERATION_KIND,
            label=_("A comment waits for moderation"),
            describe=registrations.describe_moderation,
            visible=registrations.moderation_pending,
        )
        from core import searchables

        searchables.register(
            registrations.COMMENT_SEARCH_KIND,
            label=_("Comments"),
            documents=registrations.comment_documents,
            all_ids=registrations.public_comment_ids,
            order=30,
        )
        header.register(
            "discussions.moderation",
            label=_("Moderation"),
            url="discussions_admin:moderation",
            section=header.ACCOUNT,
            rule="accounts.is_moderator_somewhere",
            count=registrations.moderation_waiting_count,
            order=30,
        )
