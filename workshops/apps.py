from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from accounts import personal_data
        from workshops.panels import rules as _panel_rules  # noqa: F401 - registers
        from workshops.personal_data import workshops_personal_data

        personal_data.register("workshops", workshops_personal_data)
        from workshops.panels.selectors import panels_personal_data

        personal_data.register("panels", panels_personal_data)

        # The dream page shows the workshops a dream went into without ideas
        # importing workshops: the dependency stays one way.
        from ideas.selectors import register_workshop_resolver
        from workshops.selectors import workshop_refs_for_dreams

        register_workshop_resolver(workshop_refs_for_dreams)

        # Flipchart photos are private until a facilitator publishes them.
        from core import media
        from workshops.models import BOARD_PHOTO_FOLDER
        from workshops.services.photos import board_photo_visible

        media.register(BOARD_PHOTO_FOLDER, board_photo_visible)

        from accounts import activity, header
        from workshops import registrations

        activity.register("workshops.cards", registrations.card_activity)
        activity.register(
            "workshops.participations", registrations.participation_activity
        )
        activity.register(
            "workshops.panel_applications", registrations.panel_application_activity
        )

        from notifications import registry
        from workshops.models import Workshop
        from workshops.panels.models import Panel

        registry.register_followable(
            Workshop,
            visible=registrations.results_public,
            describe=registrations.describe_workshop,
        )
        registry.register_followable(Panel, describe=registrations.describe_panel)
        registry.register_kind(
            registrations.RESULTS_KIND,
            label=_("A workshop's results were published"),
            describe=registrations.describe_workshop,
            visible=registrations.results_public,
        )

        from core import searchables

        searchables.register(
            registrations.WORKSHOP_SEARCH_KIND,
            label=_("Workshop results"),
            documents=registrations.workshop_documents,
            all_ids=registrations.published_workshop_ids,
            order=40,
        )
        searchables.register(
            registrations.PANEL_SEARCH_KIND,
            label=_("Customer panels"),
            documents=registrations.panel_documents,
            all_ids=registrations.panel_ids,
            order=45,
        )
        header.register(
            "workshops.join", label=_("Join a workshop"), url="workshops:join", order=30
        )
        header.register(
            "workshops.panels",
            label=_("Customer panels"),
            url="workshops:panel_list",
            order=35,
        )
        header.register(
            "workshops.mine",
            label=_("My workshops"),
            url="workshops:list",
            section=header.ACCOUNT,
            rule="accounts.is_facilitator_somewhere",
            order=20,
        )
