from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        # Rows leave the database through services, cascades, the admin and
        # scripts alike; only signals hear all of them. pre_delete, because the
        # row's city must still be readable; the receivers only call services.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete
        from wagtail.signals import page_published, page_unpublished

        from discussions.models import Comment
        from ideas.models import Dream
        from participation.models import PlannedServicePage, PlannedServiceSection
        from workshops.models import Card, Workshop

        removed = {
            Comment: ("comment_removed", "comment"),
            Dream: ("dream_removed", "dream"),
            Workshop: ("workshop_removed", "workshop"),
            Card: ("card_removed", "card"),
            PlannedServiceSection: ("section_removed", "section"),
        }
        for model, (service, argument) in removed.items():
            pre_delete.connect(
                _call(service, argument),
                sender=model,
                weak=False,
                dispatch_uid=f"opendata.{service}",
            )
        pre_delete.connect(
            _page_deleted, sender=PlannedServicePage, dispatch_uid="opendata.page"
        )
        page_unpublished.connect(
            _page_unpublished, sender=PlannedServicePage, dispatch_uid="opendata.unp"
        )
        page_published.connect(
            _page_published, sender=PlannedServicePage, dispatch_uid="opendata.pub"
        )
        pre_delete.connect(
            _user_deleted, sender=get_user_model(), dispatch_uid="opendata.user"
        )


def _call(service: str, argument: str):
    def receiver(sender, instance, **kwargs) -> None:
        from opendata import services

        getattr(services, service)(**{argument: instance})

    return receiver


def _page_deleted(sender, instance, **kwargs) -> None:
    from opendata.services import service_withdrawn

    if instance.live:
        service_withdrawn(page=instance)


def _page_unpublished(sender, instance, **kwargs) -> None:
    from opendata.services import service_withdrawn

    service_withdrawn(page=instance)


def _page_published(sender, instance, **kwargs) -> None:
    from opendata.services import service_republished

    service_republished(page=instance)


def _user_deleted(sender, instance, **kwargs) -> None:
    from opendata.services import author_removed

    author_removed(user=instance)
