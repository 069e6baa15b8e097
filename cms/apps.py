from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from accounts import header
        from cms.templatetags.site_tags import home_url_for
        from core import media

        header.register("cms.home", label=_("Home"), url=home_url_for, order=10)
        # Wagtail's admin: editors, moderators' queue and staff work there.
        header.register(
            "cms.admin",
            label=_("Admin"),
            url="wagtailadmin_home",
            section=header.ACCOUNT,
            rule="accounts.may_use_admin",
            order=90,
        )
        # Documents may sit in private collections: only Wagtail's own view
        # (/documents/<id>/<name>) applies that, so never serve them as media.
        media.register("documents/", _documents_only_through_wagtail)

        # Content pages are found by the site search; Wagtail's publishing
        # signals are its actions' announcements (admin, scripts, scheduler).
        from wagtail.signals import page_published, page_unpublished

        from cms import registrations
        from cms.models import ContentPage
        from core import searchables

        searchables.register(
            registrations.PAGE_SEARCH_KIND,
            label=_("Pages"),
            documents=registrations.page_documents,
            all_ids=registrations.public_page_ids,
            order=60,
        )
        page_published.connect(registrations.page_changed, sender=ContentPage)
        page_unpublished.connect(registrations.page_changed, sender=ContentPage)


def _documents_only_through_wagtail(request, name: str) -> bool:
    return False
