from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Service dreams")

    def ready(self) -> None:
        from accounts import personal_data
        from core.jobs import register_job  # imports models: not before ready()
        from ideas.personal_data import ideas_personal_data

        personal_data.register("ideas", ideas_personal_data)

        from accounts import activity, header
        from ideas import registrations
        from ideas.models import Dream
        from notifications import registry

        activity.register("ideas.dreams", registrations.dream_activity)
        activity.register("ideas.supports", registrations.dream_support_activity)
        registry.register_followable(Dream)
        # Commenting on a dream follows it; the comments are found under the
        # dream's district and topics.
        from discussions.targets import register_target_places, register_target_resolver

        register_target_resolver(
            "ideas.dream",
            lambda key: Dream.objects.filter(pk=key).first() if key.isdigit() else None,
        )
        register_target_places("ideas.dream", registrations.dream_places)
        registry.register_kind(
            registrations.STATUS_KIND,
            label=_("A service dream's status changed"),
            describe=registrations.describe_dream,
        )
        from core import searchables

        searchables.register(
            registrations.DREAM_SEARCH_KIND,
            label=_("Service dreams"),
            documents=registrations.dream_documents,
            all_ids=registrations.public_dream_ids,
            dependents=registrations.dream_dependents,
            order=20,
        )
        header.register(
            "ideas.dreams", label=_("Service dreams"), url="ideas:dream_list", order=20
        )
        # The trending window moves on by the hour: supports that aged out leave
        # the dreams' `trend` (new and withdrawn ones change it at once).
        register_job("refresh_trends", every=timedelta(hours=1))
