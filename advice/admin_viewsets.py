"""The advice desk's administration in the Wagtail admin (menu "Advice desk").

- Advisors: the person (by e-mail address), the cities among the supervisor's
  where they advise (the advisor role), the name residents see, the languages
  (`advice.languages`) and the cap of chats at once. An advisor sees and edits
  only its own profile; a supervisor the advisors of its cities
  (`advice.edit_advisor`, `advice.remove_advisor`); writes go through
  `advice.services.advisors`.
- Opening hours, holiday exceptions and the city settings (how long
  transcripts are kept): city rows (`core.admin_city_rows`) for the city's
  supervisors (`advice.supervise`); another city's row answers 403.
- Canned answers: a city's own for its supervisors, everyone's (no city) for
  site admins (`advice.manage_canned_answer`); supervisors see both.
- Topics: shared by every city, so site admins keep them (`advice.manage_topics`).
"""

from __future__ import annotations

import rules
from django import forms
from django.db.models import Q, QuerySet
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from accounts.models import Role
from accounts.roles import cities_with_role
from advice.languages import LANGUAGE_NAMES
from advice.models import (
    AdviceCitySettings,
    AdviceTopic,
    AdvisorProfile,
    CannedAnswer,
    HolidayException,
    OpeningHours,
)
from advice.rules import supervised_cities, supervisor_city_ids
from advice.services.advisors import advisor_remove, advisor_save
from core.admin_city_rows import (
    CityRowsDeleteView,
    CityRowsEditView,
    CityRowsIndexView,
    CityRowsPolicy,
    RowPermissionMixin,
    RulePolicy,
)
from core.errors import SERVICE_ERRORS, form_add_service_error

LANGUAGE_CHOICES = sorted(LANGUAGE_NAMES.items(), key=lambda item: item[1])

for _model in (OpeningHours, HolidayException, AdviceCitySettings):
    register_permission_policy(
        _model,
        CityRowsPolicy(
            _model,
            rule="advice.supervise",
            somewhere_rule="advice.supervise",
            cities=supervised_cities,
        ),
    )


class CannedAnswerPolicy(CityRowsPolicy):
    """A city's rows for its supervisors, plus everyone's answers (no city)."""

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        return self.model.objects.filter(
            Q(city__in=self.cities(user)) | Q(city__isnull=True)
        )


register_permission_policy(
    CannedAnswer,
    CannedAnswerPolicy(
        CannedAnswer,
        rule="advice.manage_canned_answer",
        somewhere_rule="advice.manage_canned_answer",
        cities=supervised_cities,
    ),
)


register_permission_policy(
    AdviceTopic, RulePolicy(AdviceTopic, rule="advice.manage_topics")
)


class AdvisorPolicy(RulePolicy):
    """Add: supervisors; list and edit: the advisor itself and its cities'
    supervisors; delete: supervisors of every one of its cities."""

    def user_has_permission(self, user, action) -> bool:
        if action in ("add", "delete"):
            return rules.has_perm("advice.supervise", user)
        return rules.has_perm("advice.edit_advisor", user)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if action == "delete":
            return rules.has_perm("advice.remove_advisor", user, instance)
        return rules.has_perm("advice.edit_advisor", user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        return any(
            self.user_has_permission_for_instance(user, action, instance)
            for action in actions
        )

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        if not user.is_active:
            return self.model.objects.none()
        if user.is_superuser:
            return self.model.objects.all()
        return self.model.objects.filter(
            Q(user=user)
            | Q(
                user__groups__city_role__role=Role.ADVISOR,
                user__groups__city_role__city__in=supervised_cities(user),
            )
        ).distinct()


register_permission_policy(AdvisorProfile, AdvisorPolicy(AdvisorProfile, rule=""))


class LanguageChoiceMixin:
    """The `language` of a row chosen from the languages advisors may list."""

    every_language = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            blank = [("", _("Every language"))] if self.every_language else []
            self.fields["language"] = forms.ChoiceField(
                label=_("language"),
                choices=blank + LANGUAGE_CHOICES,
                required=not self.every_language,
            )


class SupervisedCityForm(LanguageChoiceMixin, WagtailAdminModelForm):
    """Offers only the cities whose desk the person supervises."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "city" in self.fields:
            self.fields["city"].queryset = supervised_cities(self.for_user)


class HoursForm(SupervisedCityForm):
    every_language = True


class CannedAnswerForm(SupervisedCityForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Everyone's answers (no city) are the site admins' to write.
        self.fields["city"].required = not self.for_user.is_superuser

    def clean_text(self):
        from core.sanitize import clean_text

        return clean_text(self.cleaned_data["text"])


class _DeskViewSet(ModelViewSet):
    copy_view_enabled = False
    index_view_class = CityRowsIndexView
    edit_view_class = CityRowsEditView
    delete_view_class = CityRowsDeleteView
    list_filter = ["city"]
    form_class = SupervisedCityForm

    def get_form_class(self, for_update=False):
        return modelform_factory(
            self.model, form=self.form_class, fields=self.form_fields
        )


class OpeningHoursViewSet(_DeskViewSet):
    model = OpeningHours
    icon = "time"
    menu_label = _("Opening hours")
    form_class = HoursForm
    form_fields = ["city", "language", "weekday", "opens", "closes"]
    list_display = ["city", "language", "weekday", "opens", "closes"]
    list_filter = ["city", "weekday"]


class HolidayViewSet(_DeskViewSet):
    model = HolidayException
    icon = "date"
    menu_label = _("Holiday exceptions")
    form_fields = ["city", "date", "name", "opens", "closes"]
    list_display = ["date", "name", "city", "opens", "closes"]


class CitySettingsViewSet(_DeskViewSet):
    model = AdviceCitySettings
    icon = "cog"
    menu_label = _("Advice settings")
    form_fields = ["city", "transcript_retention_days"]
    list_display = ["city", "transcript_retention_days"]
    list_filter = []


class CannedAnswerIndexView(CityRowsIndexView):
    related = ()


class CannedAnswerViewSet(_DeskViewSet):
    model = CannedAnswer
    icon = "doc-full"
    menu_label = _("Canned answers")
    index_view_class = CannedAnswerIndexView
    form_class = CannedAnswerForm
    form_fields = ["city", "language", "title", "text"]
    list_display = ["title", "language", "city"]
    list_filter = ["language", "city"]
    search_fields = ["title", "text"]


class TopicViewSet(ModelViewSet):
    model = AdviceTopic
    icon = "tag"
    menu_label = _("Topics")
    copy_view_enabled = False
    form_fields = ["slug", "name_fi", "name_sv", "name_en", "position", "active"]
    list_display = ["name_fi", "name_sv", "name_en", "slug", "active"]


class AdvisorForm(WagtailAdminModelForm):
    """The profile, its languages and (for a supervisor) the cities it advises in.

    The e-mail address names the person on the first save only."""

    email = forms.EmailField(
        label=_("e-mail address"),
        help_text=_("The person must have an account already."),
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("advises in"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The cities whose desk you supervise."),
    )
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AdvisorProfile
        fields = ["display_name", "max_chats"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        profile = self.instance if self.instance.pk else None
        supervised = supervised_cities(self.for_user)
        self.fields["cities"].queryset = supervised
        if profile is not None:
            del self.fields["email"]
            self.initial["languages"] = sorted(
                profile.languages.values_list("language", flat=True)
            )
            self.initial["cities"] = list(
                cities_with_role(profile.user, Role.ADVISOR).filter(pk__in=supervised)
            )
        if not supervisor_city_ids(self.for_user):
            del self.fields["cities"]  # an advisor editing itself

    def _post_clean(self):
        # The service checks and writes the whole profile (languages and roles
        # with it); the model form's own instance checks would run without them.
        pass


class _AdvisorSaveMixin:
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except SERVICE_ERRORS as error:
            if not hasattr(error, "message_dict") and not hasattr(error, "messages"):
                raise
            form_add_service_error(form, error)
            self.produced_error_message = _(
                "The advisor could not be saved due to errors."
            )
            return self.form_invalid(form)

    def save_instance(self):
        data = self.form.cleaned_data
        profile = self.form.instance if self.form.instance.pk else None
        return advisor_save(
            by=self.request.user,
            profile=profile,
            email=data.get("email", ""),
            display_name=data["display_name"],
            languages=data["languages"],
            max_chats=data["max_chats"],
            cities=data["cities"] if "cities" in self.form.fields else None,
        )


class AdvisorIndexView(CityRowsIndexView):
    related = ("user",)


class AdvisorCreateView(_AdvisorSaveMixin, ModelViewSet.add_view_class):
    pass


class AdvisorEditView(_AdvisorSaveMixin, CityRowsEditView):
    pass


class AdvisorDeleteView(RowPermissionMixin, ModelViewSet.delete_view_class):
    def delete_action(self):
        advisor_remove(by=self.request.user, profile=self.object)


class AdvisorViewSet(ModelViewSet):
    model = AdvisorProfile
    icon = "user"
    menu_label = _("Advisors")
    copy_view_enabled = False
    form_fields = ["display_name", "max_chats"]
    list_display = ["display_name", "user", "status", "max_chats"]
    list_filter = ["status"]
    index_view_class = AdvisorIndexView
    add_view_class = AdvisorCreateView
    edit_view_class = AdvisorEditView
    delete_view_class = AdvisorDeleteView

    def get_form_class(self, for_update=False):
        return AdvisorForm


class AdviceDeskSetup(ViewSetGroup):
    menu_label = _("Advice desk")
    menu_icon = "help"
    menu_order = 246
    items = (
        AdvisorViewSet("advice_advisors", url_prefix="advice/advisors"),
        CannedAnswerViewSet("advice_canned", url_prefix="advice/canned-answers"),
        OpeningHoursViewSet("advice_hours", url_prefix="advice/hours"),
        HolidayViewSet("advice_holidays", url_prefix="advice/holidays"),
        CitySettingsViewSet("advice_settings", url_prefix="advice/settings"),
        TopicViewSet("advice_topics", url_prefix="advice/topics"),
    )
