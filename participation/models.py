"""Planned services for comment: `PlannedServicePage` and its sections.

`PlannedServicePage` is a Wagtail page under a `cms.CityPage`; its ordered
`PlannedServiceSection`s each get their own discussion (`discussions.Discussion`),
the page as a whole another. The page's lifecycle and comment period are copied onto
its discussions by `service_discussions_sync` when the page is published (never when
it is viewed), and the discussions' services refuse writes outside them.
"""

import copy
import uuid

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.models import City, District, Topic
from participation.staged_state import StagedStateRevisions


class Lifecycle(models.TextChoices):
    PLANNING = "planning", _("Planning")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Comments closed")
    ANSWERED = "answered", _("Answered")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProducerType(models.TextChoices):
    CITY = "city", _("City unit")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class ServiceState(models.Model):
    """Everything about a planned service that is not text, shared by its language
    copies: one row per translation key (as Kerrokantasi keeps one hearing with
    translated fields). Every `PlannedServicePage` copy points to it (`state`), so
    the lifecycle, the comment period, the discussion rules and the answer's
    publication are the same on the Finnish, Swedish and English pages.
    """

    translation_key = models.UUIDField(unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Lifecycle.choices,
        default=Lifecycle.PLANNING,
        db_index=True,
    )
    comments_open_at = models.DateTimeField(_("comments open"), null=True, blank=True)
    comments_close_at = models.DateTimeField(_("comments close"), null=True, blank=True)
    allow_anonymous = models.BooleanField(
        _("anonymous participants may comment"),
        default=False,
        help_text=_("Otherwise only registered users may comment."),
    )
    premoderated = models.BooleanField(
        _("pre-moderate comments"),
        default=False,
        help_text=_("Comments appear only after a moderator approves them."),
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports before a comment is hidden"), default=3
    )
    answer_published_at = models.DateTimeField(
        _("answer published"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("planned service's state")
        verbose_name_plural = _("planned services' states")

    def __str__(self) -> str:
        return f"{self.translation_key}: {self.status}"

    def comments_accepted_now(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != Lifecycle.OPEN:
            return False
        if self.comments_open_at and now < self.comments_open_at:
            return False
        return not (self.comments_close_at and now >= self.comments_close_at)

    @property
    def answer_is_public(self) -> bool:
        return self.answer_published_at is not None and self.status in (
            Lifecycle.ANSWERED,
            Lifecycle.DECIDED,
        )


# The fields of `ServiceState` an editor sets on the page's "Participation" tab.
STATE_FIELDS = (
    "status",
    "comments_open_at",
    "comments_close_at",
    "allow_anonymous",
    "premoderated",
    "report_threshold",
)


def _state_formfield(name: str, **kwargs) -> forms.Field:
    field = ServiceState._meta.get_field(name)
    if isinstance(field, models.DateTimeField):
        kwargs.setdefault("widget", AdminDateTimeInput)
    return field.formfield(**kwargs)


class PlannedServiceForm(WagtailAdminPageForm):
    """The editor's form: the districts offered are the page's city's; the
    participation fields are the shared `ServiceState`'s, shown as the copy's
    latest revision has them and written into it when that revision is
    published (in whichever language)."""

    status = _state_formfield(
        "status", help_text=_("Shared by every language version of this service.")
    )
    comments_open_at = _state_formfield("comments_open_at")
    comments_close_at = _state_formfield("comments_close_at")
    allow_anonymous = _state_formfield("allow_anonymous")
    premoderated = _state_formfield("premoderated")
    report_threshold = _state_formfield("report_threshold")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        city_id = self.instance.city_id or getattr(
            getattr(self.parent_page, "specific", None), "city_id", None
        )
        if "districts" in self.fields and city_id:
            self.fields["districts"].queryset = District.objects.filter(city_id=city_id)
        if not self.is_bound:
            state = self.instance.service_state
            for name in STATE_FIELDS:
                self.initial[name] = getattr(state, name)

    def clean(self):
        cleaned = super().clean()
        opens = cleaned.get("comments_open_at")
        closes = cleaned.get("comments_close_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "comments_close_at", _("Commenting must close after it opens.")
            )
        return cleaned

    def save(self, commit=True):
        # Only what differs from the shared record is staged on the page: kept in
        # the page's revision (a draft keeps it for later, a preview shows it) and
        # written into the record when the copy is published, so a draft in one
        # language never changes the live pages of the others.
        shared = ServiceState.objects.filter(
            translation_key=self.instance.translation_key
        ).first()
        staged = {}
        for name in STATE_FIELDS:
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if shared is None or getattr(shared, name) != value:
                staged[name] = value
        self.instance.__dict__["_state_pending"] = staged
        return super().save(commit=commit)


class PlannedServicePage(StagedStateRevisions, Page):
    """A planned service put to residents for comment, under a city's `CityPage`.

    The page and each of its `sections` have a `Discussion`; the city answers in
    `answer` (and each section's `answer`), published by `service_answer_publish`.
    """

    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The parent city page's city, set when the page is saved."),
    )
    summary = models.CharField(_("summary"), max_length=400)
    body = RichTextField(
        _("description"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"],
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Shared, translated reference data (core): every language version of the
    # page points to the same rows and shows their names in its own language.
    topics = ParentalManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="planned_services"
    )
    districts = ParentalManyToManyField(
        District,
        verbose_name=_("districts"),
        blank=True,
        related_name="planned_services",
    )
    producer_type = models.CharField(
        _("who would produce the service"),
        max_length=20,
        choices=ProducerType.choices,
        default=ProducerType.CITY,
    )
    producer_name = models.CharField(_("producer"), max_length=200, blank=True)
    contact = models.TextField(_("contact"), blank=True, max_length=1000)
    state = models.ForeignKey(
        ServiceState,
        verbose_name=_("state"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="pages",
        help_text=_("Shared by every language version (same translation key)."),
    )
    answer = RichTextField(
        _("how your input was used"),
        blank=True,
        features=["h3", "bold", "italic", "link", "document-link", "ol", "ul"],
    )

    base_form_class = PlannedServiceForm
    parent_page_types = ["cms.CityPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("sections", label=_("Sections")),
        InlinePanel("attachments", label=_("Attachments")),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("districts", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel(
                    [FieldPanel("producer_type"), FieldPanel("producer_name")]
                ),
                FieldPanel("contact"),
            ],
            heading=_("Details"),
        ),
    ]
    participation_panels = [
        FieldPanel("status"),
        FieldRowPanel(
            [FieldPanel("comments_open_at"), FieldPanel("comments_close_at")]
        ),
        FieldPanel("allow_anonymous"),
        FieldPanel("premoderated"),
        FieldPanel("report_threshold"),
    ]
    answer_panels = [FieldPanel("answer")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(participation_panels, heading=_("Participation")),
            ObjectList(answer_panels, heading=_("City's answer")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")

    def save(self, *args, **kwargs):
        # The city is the parent CityPage's, stored so that reading it costs no
        # tree query; a page moved to another city is updated by the
        # post_page_move handler in `participation.apps`.
        if self.city_id is None and self.depth and self.depth > 1:
            self.city_id = self.parent_city_id()
        # Every copy belongs to its translation key's one state (a copy made by
        # simple_translation joins it). Values staged on the page (the admin form,
        # a factory) go into that shared row when the page is saved whole while
        # live (publishing a revision, a script) or starts a new service; a
        # draft's save (`save_revision` saves named fields) or a scheduled
        # publication (saved not live) keeps them in the revision instead.
        state = self._state_for_key()
        pending = None
        if state.pk is None or (kwargs.get("update_fields") is None and self.live):
            pending = self.__dict__.pop("_state_pending", None)
        for name, value in (pending or {}).items():
            setattr(state, name, value)
        if state.pk is None or pending:
            state.save()
        if self.state_id != state.pk:
            self.state = state
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "state"]
        super().save(*args, **kwargs)

    def _state_for_key(self) -> ServiceState:
        """This translation key's state: the one pointed to if it is this key's,
        else the key's row, else a new one (a plain copy of a service, under a
        new key, starts with the original's values)."""
        current = self.__dict__.get("_state_cache") or self._pointed_state()
        if current is not None and current.translation_key == self.translation_key:
            return current
        existing = ServiceState.objects.filter(
            translation_key=self.translation_key
        ).first()
        if existing is not None:
            return existing
        values = {}
        if current is not None:
            values = {name: getattr(current, name) for name in STATE_FIELDS}
        return ServiceState(translation_key=self.translation_key, **values)

    def _pointed_state(self) -> ServiceState | None:
        # A revision restored as a page may name a state that no longer exists.
        if self.state_id is None:
            return None
        try:
            return self.state
        except ServiceState.DoesNotExist:
            return None

    @property
    def service_state(self) -> ServiceState:
        """The shared state, read through `state` (select_related it in lists); an
        old revision without one reads its translation key's row, a page never
        saved an unsaved default. Values staged on the page show through."""
        state = self._pointed_state()
        if state is None:
            state = self.__dict__.get("_state_cache")
            if state is None:
                state = ServiceState.objects.filter(
                    translation_key=self.translation_key
                ).first() or ServiceState(translation_key=self.translation_key)
                self.__dict__["_state_cache"] = state
        pending = self.__dict__.get("_state_pending")
        if pending:
            state = copy.copy(state)
            for name, value in pending.items():
                setattr(state, name, value)
        return state

    def parent_city_id(self) -> int | None:
        """The `city_id` of the parent page (a `cms.CityPage`), read by duck typing:
        participation sits below cms and does not import it."""
        parent = Page.objects.filter(path=self.path[: -self.steplen]).first()
        return getattr(parent.specific, "city_id", None) if parent else None

    @property
    def discussion_key(self) -> str:
        # Translations share the thread: they share the translation key.
        return str(self.translation_key)

    def comments_accepted_now(self, now=None) -> bool:
        return self.service_state.comments_accepted_now(now)

    @property
    def answer_is_public(self) -> bool:
        return self.service_state.answer_is_public

    def get_status_display(self) -> str:
        return self.service_state.get_status_display()

    def get_context(self, request, *args, **kwargs):
        # Reads only: the discussions are created when the page is published
        # (`participation.apps`), never on a GET.
        from core.actors import actor_from_request
        from discussions.context import discussion_context
        from discussions.selectors import support_value_for
        from participation.selectors import service_answer_get, service_discussions

        context = super().get_context(request, *args, **kwargs)
        sections, service_discussion = service_discussions(page=self)
        context["sections"] = sections
        context["answer"] = service_answer_get(page=self, sections=sections)
        if getattr(request, "is_preview", False) or service_discussion is None:
            # A preview (or a page never published) shows the content only.
            return context
        selected_section = next(
            (
                s
                for s in sections
                if s.discussion is not None
                and s.discussion_key == request.GET.get("section")
            ),
            None,
        )
        discussion = (
            selected_section.discussion if selected_section else service_discussion
        )
        viewer = actor_from_request(request)
        from participation.registrations import service_for_key

        context.update(
            follow_target=service_for_key(str(self.translation_key)),
            service_discussion=service_discussion,
            selected_section=selected_section,
            support_value=support_value_for(
                discussion=service_discussion, viewer=viewer
            ),
            **discussion_context(request, discussion, viewer=viewer),
        )
        return context


def _state_property(name: str) -> property:
    """`page.<name>` reads the shared state; setting it stages the value, written
    into the state when the page is saved."""

    def get(page):
        return getattr(page.service_state, name)

    def set_(page, value):
        page.__dict__.setdefault("_state_pending", {})[name] = value

    return property(get, set_, doc=f"The shared state's {name}.")


for _name in (*STATE_FIELDS, "answer_published_at"):
    setattr(PlannedServicePage, _name, _state_property(_name))


class PlannedServiceSection(Orderable):
    """A section of a planned service; `key` stays the same across revisions and
    translations, so the section's discussion survives edits."""

    page = ParentalKey(
        PlannedServicePage, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(
        _("text"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question = models.CharField(_("question to residents"), max_length=300, blank=True)
    answer = RichTextField(
        _("how input on this section was used"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("image"),
        FieldPanel("question"),
        FieldPanel("answer"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title

    @property
    def discussion_key(self) -> str:
        return str(self.key)


class PlannedServiceAttachment(Orderable):
    page = ParentalKey(
        PlannedServicePage, on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]
