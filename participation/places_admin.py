"""Core's districts, topics and population figures in the Wagtail admin, under
"Places and topics".

A city's districts and population figures are edited by that city's editors
only: the permission policy asks the named rules in `participation.rules`, the
lists show only the person's cities, the forms offer only those cities, and an
edit or delete address of another city's row answers 403. Topics are shared by
every city (any editor may add or rename one; only site admins delete).
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet
from django.forms import modelform_factory
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.models import Role
from accounts.roles import cities_with_role
from core.admin_city_rows import (
    CityRowsDeleteView,
    CityRowsEditView,
    CityRowsIndexView,
    CityRowsPolicy,
)
from core.models import District, PopulationFigure, Topic

SOMEWHERE = "participation.manage_places_somewhere"


class TopicPolicy(BasePermissionPolicy):
    def _rule(self, action) -> str:
        return (
            "participation.delete_topic"
            if action == "delete"
            else ("participation.change_topic")
        )

    def user_has_permission(self, user, action) -> bool:
        return rules.has_perm(self._rule(action), user)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, a) for a in actions)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return self.user_has_any_permission(user, actions)

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        if self.user_has_permission(user, action):
            return Topic.objects.all()
        return Topic.objects.none()

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        return self.instances_user_has_permission_for(user, "change")


def _editor_cities(user) -> QuerySet:
    return cities_with_role(user, Role.EDITOR)


for _model, _rule in (
    (District, "participation.manage_districts"),
    (PopulationFigure, "participation.manage_population"),
):
    register_permission_policy(
        _model,
        CityRowsPolicy(
            _model, rule=_rule, somewhere_rule=SOMEWHERE, cities=_editor_cities
        ),
    )
register_permission_policy(Topic, TopicPolicy(Topic))


class CityRowsForm(WagtailAdminModelForm):
    """Offers only the cities (and their districts) the person edits."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cities = cities_with_role(self.for_user, Role.EDITOR)
        if "city" in self.fields:
            self.fields["city"].queryset = cities
        if "district" in self.fields:
            self.fields["district"].queryset = District.objects.filter(
                city__in=cities
            ).select_related("city")


class DistrictForm(CityRowsForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Used in addresses and open data. Left empty, made from the Finnish name."
        )

    def clean_slug(self) -> str:
        return (
            self.cleaned_data.get("slug") or slugify(self.data.get("name_fi", ""))[:60]
        )


class PopulationIndexView(CityRowsIndexView):
    related = ("city", "district")


class DistrictViewSet(ModelViewSet):
    model = District
    icon = "site"
    menu_label = _("Districts")
    form_fields = ["city", "name_fi", "name_sv", "name_en", "slug"]
    list_display = ["name_fi", "name_sv", "name_en", "city", "slug"]
    list_filter = ["city"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    copy_view_enabled = False
    index_view_class = CityRowsIndexView
    edit_view_class = CityRowsEditView
    delete_view_class = CityRowsDeleteView

    def get_form_class(self, for_update=False):
        return _form(DistrictForm, self.model, self.form_fields)


class TopicViewSet(ModelViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    form_fields = ["name_fi", "name_sv", "name_en", "slug"]
    list_display = ["name_fi", "name_sv", "name_en", "slug"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    copy_view_enabled = False


class PopulationFigureViewSet(ModelViewSet):
    model = PopulationFigure
    icon = "table"
    menu_label = _("Population figures")
    form_fields = ["city", "district", "year", "dimension", "group", "count"]
    list_display = ["city", "district", "year", "dimension", "group", "count"]
    list_filter = ["city", "year", "dimension"]
    copy_view_enabled = False
    index_view_class = PopulationIndexView
    edit_view_class = CityRowsEditView
    delete_view_class = CityRowsDeleteView

    def get_form_class(self, for_update=False):
        return _form(CityRowsForm, self.model, self.form_fields)


def _form(base, model, fields):
    return modelform_factory(model, form=base, fields=fields)


class PlacesAndTopics(ViewSetGroup):
    menu_label = _("Places and topics")
    menu_icon = "site"
    menu_order = 260
    items = (
        DistrictViewSet(
            "places_districts",
            url_prefix="places/districts",
            url_namespace="places_districts",
        ),
        TopicViewSet(
            "places_topics",
            url_prefix="places/topics",
            url_namespace="places_topics",
        ),
        PopulationFigureViewSet(
            "places_population",
            url_prefix="places/population",
            url_namespace="places_population",
        ),
    )
