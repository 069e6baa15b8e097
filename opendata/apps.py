from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        # Connects the tombstone receivers (they import models, so not before).
        from opendata import signals  # noqa: F401
