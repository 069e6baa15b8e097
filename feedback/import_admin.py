"""The GeoReport v2 import sources in the Wagtail admin (Settings → Feedback
imports), for site admins: Django's model permissions decide, which only
superusers hold unless a group is given them. Registered from `apps.py`."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from feedback.models import FeedbackImportSource


class ImportSourceViewSet(ModelViewSet):
    model = FeedbackImportSource
    icon = "download"
    menu_label = _("Feedback imports")
    add_to_settings_menu = True
    inspect_view_enabled = True
    form_fields = [
        "city",
        "name",
        "base_url",
        "licence",
        "trusted",
        "service_map",
        "fallback_service",
        "default_kind",
        "is_active",
    ]
    list_display = ["name", "city", "base_url", "is_active", "last_run_at"]
    list_filter = ["city", "is_active", "last_run_ok"]
    inspect_view_fields = [
        *form_fields,
        "updated_after",
        "last_run_at",
        "last_run_ok",
        "last_run_report",
    ]

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "base_url":
            kwargs["assume_scheme"] = "https"  # a bare host name means https
        return super().formfield_for_dbfield(db_field, **kwargs)


@hooks.register("register_admin_viewset")
def register_import_sources() -> ImportSourceViewSet:
    return ImportSourceViewSet("feedback_import_sources")
