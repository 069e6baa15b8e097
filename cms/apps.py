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


def _documents_only_through_wagtail(request, name: str) -> bool:
    return False
