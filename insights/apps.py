from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Insight")

    def ready(self) -> None:
        from core.jobs import register_job  # imports models: not before ready()

        # Incremental every few minutes; once a day from scratch, which also
        # catches rows deleted outright and targets made private (rollups.py).
        register_job("refresh_insights", every=timedelta(minutes=5))
        register_job(
            "refresh_insights_full",
            every=timedelta(days=1),
            command="refresh_insights",
            args=("--full",),
        )

        # The dashboards in the account menu, for those who may see some city's.
        from accounts import header

        header.register(
            "insights.dashboards",
            label=_("Insight"),
            url="insights:index",
            section=header.ACCOUNT,
            rule="insights.view_somewhere",
            order=40,
        )
        # A deleted account's person leaves the counted people with their sets.
        from django.conf import settings
        from django.db.models.signals import pre_delete

        from insights.rollups import forget_user

        pre_delete.connect(
            lambda sender, instance, **kwargs: forget_user(instance.pk),
            sender=settings.AUTH_USER_MODEL,
            weak=False,
            dispatch_uid="insights.forget_user",
        )
        # Themes: embedding is seconds to minutes of CPU, so once a day.
        register_job("refresh_themes", every=timedelta(days=1))
