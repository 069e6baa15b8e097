from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        import accounts.rules  # noqa: F401  (the rules the header links name)
        from accounts import header
        from accounts.admin_users import use_our_account_settings_form

        use_our_account_settings_form()
        header.register(
            "accounts.activity",
            label=_("My activity"),
            url="accounts:activity",
            section=header.ACCOUNT,
            rule="accounts.is_signed_in",
            order=10,
        )
