from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        # Wagtail announces publishing with signals (the admin, scripts and
        # scheduled publishing all send them); the handler only calls a service.
        from wagtail.signals import page_published, page_unpublished

        from accounts import personal_data
        from participation.models import PlannedServicePage
        from participation.personal_data import participation_personal_data

        personal_data.register("participation", participation_personal_data)

        page_published.connect(_sync_discussions, sender=PlannedServicePage)
        page_unpublished.connect(_sync_discussions, sender=PlannedServicePage)


def _sync_discussions(sender, instance, **kwargs) -> None:
    from participation.services import service_discussions_sync

    service_discussions_sync(page=instance)
