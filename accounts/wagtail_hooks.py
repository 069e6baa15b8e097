"""Cities in the Wagtail admin, each with its role groups created on the spot.

City lives in `core`, but creating one must also create the groups behind its
roles (an accounts concern), so the admin screens for cities live here.
"""

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.models import CityRole
from accounts.services import city_role_groups_ensure
from core.models import City


class CityCreateView(generic.CreateView):
    @transaction.atomic
    def save_instance(self):
        city = super().save_instance()
        city_role_groups_ensure(city)
        return city


class CityEditView(generic.EditView):
    @transaction.atomic
    def save_instance(self):
        city = super().save_instance()
        city_role_groups_ensure(city)  # creates any role added since
        return city


class CityInspectView(generic.InspectView):
    """A city's details with its roles: which group grants each, how many hold it."""

    def get_field_label(self, field_name, field):
        if field_name == "roles":
            return _("Roles")
        return super().get_field_label(field_name, field)

    def get_roles_display_value(self) -> str:
        city_roles = (
            CityRole.objects.filter(city=self.object)
            .select_related("group")
            .annotate(holders=Count("group__user"))
            .order_by("role")
        )
        return (
            "; ".join(
                ngettext(
                    "%(role)s (group “%(group)s”): %(count)d person",
                    "%(role)s (group “%(group)s”): %(count)d people",
                    city_role.holders,
                )
                % {
                    "role": city_role.get_role_display(),
                    "group": city_role.group.name,
                    "count": city_role.holders,
                }
                for city_role in city_roles
            )
            or "-"
        )


class CityViewSet(ModelViewSet):
    model = City
    icon = "site"
    menu_label = _("Cities")
    menu_order = 250
    add_to_admin_menu = True
    form_fields = ["slug", "name_fi", "name_sv", "name_en"]
    list_display = [
        "name_fi",
        "name_sv",
        "name_en",
        Column("slug", label=_("slug")),
    ]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    add_view_class = CityCreateView
    edit_view_class = CityEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = CityInspectView
    inspect_view_fields = ["slug", "name_fi", "name_sv", "name_en", "roles"]


@hooks.register("register_admin_viewset")
def register_city_viewset():
    return CityViewSet("cities")
