"""A link from the Wagtail admin's menu to the dashboards, for those they let in."""

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class InsightMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return rules.test_rule("insights.view_somewhere", request.user)


@hooks.register("register_admin_menu_item")
def register_insight_menu_item():
    return InsightMenuItem(
        _("Insight"), reverse("insights:index"), icon_name="table", order=260
    )
