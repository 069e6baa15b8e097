from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # The apps below register what they offer (core.searchables) and call
        # `reindex_on_commit`; the writing happens here, above all of them.
        from core import searchables
        from core.jobs import register_job  # imports models: not before ready()
        from search import rules as _rules  # noqa: F401 - registers the rules
        from search.services import documents_reindex

        searchables.set_writer(documents_reindex)
        # Repairs what changed behind the services' back (cascades, scripts).
        register_job(
            "rebuild_search_index",
            every=timedelta(hours=1),
            args=("--incremental",),
        )
        register_job("purge_zero_result_queries", every=timedelta(days=1))

        # Editors reach the searches that found nothing from the header.
        from accounts import header

        header.register(
            "search.zero_results",
            label=_("Searches that found nothing"),
            url="search:zero_results",
            section=header.ACCOUNT,
            rule="search.view_zero_results",
            order=85,
        )
