from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from accounts import header
        from cms.templatetags.site_tags import home_url_for

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
