"""Tombstones for rows that leave the public: one explicit receiver per event.

Rows leave the database through services, cascades, the admin and scripts alike;
only signals hear all of them. `pre_delete`, because the row's city must still be
readable. The receivers only call `opendata.services`. Connected in
`OpendataConfig.ready`, which imports this module.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from discussions.models import Comment
from feedback.models import FeedbackItem, FeedbackService
from ideas.models import Dream
from opendata import services
from participation.models import PlannedServicePage, PlannedServiceSection
from workshops.models import Card, Panel, Workshop


@receiver(pre_delete, sender=Comment, dispatch_uid="opendata.comment_removed")
def comment_deleted(sender, instance: Comment, **kwargs) -> None:
    services.comment_removed(comment=instance)


@receiver(pre_delete, sender=Dream, dispatch_uid="opendata.dream_removed")
def dream_deleted(sender, instance: Dream, **kwargs) -> None:
    services.dream_removed(dream=instance)


@receiver(pre_delete, sender=Workshop, dispatch_uid="opendata.workshop_removed")
def workshop_deleted(sender, instance: Workshop, **kwargs) -> None:
    services.workshop_removed(workshop=instance)


@receiver(pre_delete, sender=Panel, dispatch_uid="opendata.panel_removed")
def panel_deleted(sender, instance: Panel, **kwargs) -> None:
    services.panel_removed(panel=instance)


@receiver(pre_delete, sender=Card, dispatch_uid="opendata.card_removed")
def card_deleted(sender, instance: Card, **kwargs) -> None:
    services.card_removed(card=instance)


@receiver(
    pre_delete, sender=PlannedServiceSection, dispatch_uid="opendata.section_removed"
)
def section_deleted(sender, instance: PlannedServiceSection, **kwargs) -> None:
    services.section_removed(section=instance)


@receiver(pre_delete, sender=PlannedServicePage, dispatch_uid="opendata.page")
def page_deleted(sender, instance: PlannedServicePage, **kwargs) -> None:
    if instance.live:
        services.service_withdrawn(page=instance)


@receiver(page_unpublished, sender=PlannedServicePage, dispatch_uid="opendata.unp")
def page_was_unpublished(sender, instance: PlannedServicePage, **kwargs) -> None:
    services.service_withdrawn(page=instance)


@receiver(page_published, sender=PlannedServicePage, dispatch_uid="opendata.pub")
def page_was_published(sender, instance: PlannedServicePage, **kwargs) -> None:
    services.service_republished(page=instance)


@receiver(pre_delete, sender=FeedbackItem, dispatch_uid="opendata.feedback_removed")
def feedback_deleted(sender, instance: FeedbackItem, **kwargs) -> None:
    services.feedback_removed(item=instance)


# The saves that can move an item in or out of the public (the handling and
# intake services name what they save; a save naming nothing may be any).
FEEDBACK_VISIBILITY_FIELDS = {"visibility", "withdrawn_at"}


@receiver(post_save, sender=FeedbackItem, dispatch_uid="opendata.feedback_saved")
def feedback_saved(sender, instance: FeedbackItem, created, update_fields, **kw):
    if created:
        return
    if update_fields is None or FEEDBACK_VISIBILITY_FIELDS & set(update_fields):
        services.feedback_visibility_changed(item=instance)


@receiver(pre_delete, sender=FeedbackService, dispatch_uid="opendata.feedback_service")
def feedback_service_deleted(sender, instance: FeedbackService, **kwargs) -> None:
    services.feedback_service_removed(service=instance)


@receiver(pre_delete, sender=get_user_model(), dispatch_uid="opendata.user")
def user_deleted(sender, instance, **kwargs) -> None:
    services.author_removed(user=instance)
