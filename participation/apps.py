from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        # Wagtail announces publishing with signals (the admin, scripts and
        # scheduled publishing all send them); the handlers only call a service.
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from discussions.rules import register_target_visibility
        from participation.models import PlannedServicePage
        from participation.selectors import (
            PAGE_TARGET,
            SECTION_TARGET,
            public_section_keys,
            public_service_keys,
        )

        # Comments on a planned service (or a section) are public only while some
        # language version of the service is published.
        register_target_visibility(PAGE_TARGET, public_service_keys)
        register_target_visibility(SECTION_TARGET, public_section_keys)

        page_published.connect(_published, sender=PlannedServicePage)
        page_unpublished.connect(_sync_discussions, sender=PlannedServicePage)
        post_page_move.connect(_city_follow_move, sender=PlannedServicePage)

        from accounts import activity
        from core import searchables
        from notifications import registry
        from participation import registrations

        searchables.register(
            registrations.SERVICE_SEARCH_KIND,
            label=_("Planned services"),
            documents=registrations.service_documents,
            all_ids=registrations.public_service_ids,
            dependents=registrations.service_dependents,
            order=10,
        )
        searchables.register(
            registrations.SECTION_SEARCH_KIND,
            label=_("Sections of planned services"),
            documents=registrations.section_documents,
            all_ids=registrations.public_section_ids,
            order=15,
        )

        activity.register("participation.positions", registrations.position_activity)
        registry.register_followable(
            PlannedServicePage,
            visible=registrations.service_visible,
            describe=registrations.describe_service,
        )
        registry.register_kind(
            registrations.ANSWER_KIND,
            label=_("The city answered a planned service"),
            describe=registrations.describe_service,
            visible=registrations.service_visible,
        )
        registry.register_kind(
            registrations.NEW_KIND,
            label=_("A new planned service in a district or topic you follow"),
            describe=registrations.describe_service,
            visible=registrations.service_visible,
        )
        # Commenting on a service (or a section) follows the service; the
        # comments are found under the service's districts and topics.
        from discussions.targets import (
            register_target_places,
            register_target_resolver,
        )

        register_target_resolver(PAGE_TARGET, registrations.service_for_key)
        register_target_resolver(SECTION_TARGET, registrations.service_for_section_key)
        register_target_places(PAGE_TARGET, registrations.service_places)
        register_target_places(SECTION_TARGET, registrations.section_places)


def _sync_discussions(sender, instance, **kwargs) -> None:
    from participation.services import service_discussions_sync

    service_discussions_sync(page=instance)


def _published(sender, instance, revision=None, **kwargs) -> None:
    from participation.services import service_published

    service_published(page=instance, revision=revision)


def _city_follow_move(sender, instance, **kwargs) -> None:
    # Wagtail sends the moved page as a plain Page: read it again as ours.
    from participation.services import service_city_refresh

    service_city_refresh(page=sender.objects.get(pk=instance.pk))
