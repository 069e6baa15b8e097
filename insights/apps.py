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
        # Themes: embedding is seconds to minutes of CPU, so once a day.
        register_job("refresh_themes", every=timedelta(days=1))
