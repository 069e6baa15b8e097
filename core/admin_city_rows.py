"""Rows that belong to a city, edited in the Wagtail admin by that city's staff.

Districts and population figures (`participation.places_admin`), feedback
services, agencies and settings (`feedback.admin_viewsets`) are such rows. One
mechanism keeps them apart: the permission policy asks the app's named rule for
a row and lists only the person's cities; an edit or delete address of another
city's row answers 403 whatever the list shows; deleting a row still in use
says so instead of failing. The apps give the rules, the cities and their forms.
Models without a city (the advice desk's topics and advisors) use `RulePolicy`,
the same policy asking one named rule.
"""

from __future__ import annotations

from collections.abc import Callable

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.permission_policies.base import BasePermissionPolicy


class RulePolicy(BasePermissionPolicy):
    """Every action on the model asks one named rule: `rule` with the row, and
    without one `somewhere_rule` (by default the same rule); a person the rule
    lets in sees every row."""

    def __init__(self, model, *, rule: str, somewhere_rule: str | None = None) -> None:
        super().__init__(model)
        self.rule = rule
        self.somewhere_rule = somewhere_rule or rule

    def user_has_permission(self, user, action) -> bool:
        return rules.has_perm(self.somewhere_rule, user)

    def user_has_any_permission(self, user, actions) -> bool:
        return self.user_has_permission(user, None)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return rules.has_perm(self.rule, user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return self.user_has_permission_for_instance(user, None, instance)

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        if self.user_has_permission(user, action):
            return self.model.objects.all()
        return self.model.objects.none()

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        return self.instances_user_has_permission_for(user, None)


class CityRowsPolicy(RulePolicy):
    """`rule` decides for one row (it has a `city`); without a row,
    `somewhere_rule` (some city's staff) is enough; `cities(user)` are the cities
    whose rows the person sees."""

    def __init__(
        self,
        model,
        *,
        rule: str,
        somewhere_rule: str,
        cities: Callable[..., QuerySet],
    ) -> None:
        super().__init__(model, rule=rule, somewhere_rule=somewhere_rule)
        self.cities = cities

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        return self.model.objects.filter(city__in=self.cities(user))


class CityRowsIndexView(generic.IndexView):
    """Only the person's cities' rows; `related` are joined for the columns."""

    related: tuple[str, ...] = ("city",)

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).select_related(*self.related)


class RowPermissionMixin:
    """Another city's row: 403 on its edit and delete addresses."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.user_has_permission_for_instance(self.permission_required, obj):
            raise PermissionDenied
        return obj


class CityRowsEditView(RowPermissionMixin, generic.EditView):
    pass


class CityRowsDeleteView(RowPermissionMixin, generic.DeleteView):
    def form_valid(self, form):
        # A row that other rows still name is protected: say so, never a 500.
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("“%(name)s” is still in use, so it was not deleted.")
                % {"name": self.object},
            )
            return HttpResponseRedirect(self.get_success_url())
