"""A city's feedback services, agencies and settings in the Wagtail admin.

Edited by that city's feedback handlers (site admins: every city): the
permission policy asks `feedback.handle_item` for a row (each has a city), the
lists show only the person's cities, the forms offer only those cities, and
another city's edit or delete address answers 403.
"""

from __future__ import annotations

from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.admin_city_rows import (
    CityRowsDeleteView,
    CityRowsEditView,
    CityRowsIndexView,
    CityRowsPolicy,
)
from feedback.models import Agency, FeedbackCitySettings, FeedbackService
from feedback.rules import handler_cities

for _model in (FeedbackService, Agency, FeedbackCitySettings):
    register_permission_policy(
        _model,
        CityRowsPolicy(
            _model,
            rule="feedback.handle_item",
            somewhere_rule="feedback.handle_somewhere",
            cities=handler_cities,
        ),
    )


class HandlerCityForm(WagtailAdminModelForm):
    """Offers only the cities (and their agencies) the person handles."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cities = handler_cities(self.for_user)
        if "city" in self.fields:
            self.fields["city"].queryset = cities
        if "agency" in self.fields:
            self.fields["agency"].queryset = Agency.objects.filter(
                city__in=cities
            ).select_related("city")

    def clean(self):
        cleaned = super().clean()
        agency, city = cleaned.get("agency"), cleaned.get("city")
        if agency is not None and city is not None and agency.city_id != city.pk:
            self.add_error("agency", _("Choose an agency of the same city."))
        return cleaned


class _CityRowsViewSet(ModelViewSet):
    copy_view_enabled = False
    index_view_class = CityRowsIndexView
    edit_view_class = CityRowsEditView
    delete_view_class = CityRowsDeleteView
    list_filter = ["city"]

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model, form=HandlerCityForm, fields=self.form_fields
        )


class ServiceViewSet(_CityRowsViewSet):
    model = FeedbackService
    icon = "list-ul"
    menu_label = _("Feedback services")
    form_fields = [
        "city",
        "service_code",
        "name_fi",
        "name_sv",
        "name_en",
        "description_fi",
        "description_sv",
        "description_en",
        "group_fi",
        "group_sv",
        "group_en",
        "keywords",
        "publication",
        "agency",
        "is_active",
        "order",
    ]
    list_display = ["name_fi", "service_code", "group_fi", "city", "publication"]
    list_filter = ["city", "publication", "is_active"]
    search_fields = ["name_fi", "name_sv", "name_en", "service_code"]


class AgencyViewSet(_CityRowsViewSet):
    model = Agency
    icon = "group"
    menu_label = _("Agencies")
    form_fields = ["city", "name_fi", "name_sv", "name_en"]
    list_display = ["name_fi", "name_sv", "name_en", "city"]
    search_fields = ["name_fi", "name_sv", "name_en"]


class CitySettingsViewSet(_CityRowsViewSet):
    model = FeedbackCitySettings
    icon = "cog"
    menu_label = _("Feedback settings")
    form_fields = ["city", "contact_retention_days"]
    list_display = ["city", "contact_retention_days"]
    list_filter = []


class FeedbackSetup(ViewSetGroup):
    menu_label = _("Feedback setup")
    menu_icon = "cog"
    menu_order = 245
    items = (
        ServiceViewSet(
            "feedback_services",
            url_prefix="feedback/services",
            url_namespace="feedback_services",
        ),
        AgencyViewSet(
            "feedback_agencies",
            url_prefix="feedback/agencies",
            url_namespace="feedback_agencies",
        ),
        CitySettingsViewSet(
            "feedback_settings",
            url_prefix="feedback/settings",
            url_namespace="feedback_settings",
        ),
    )
