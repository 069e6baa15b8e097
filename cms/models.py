"""The public page tree: HomePage → CityPage (one per city) → content and services.

Each page exists once per language (Wagtail's internationalisation: fi, sv, en);
translations share a `translation_key`. Apps that add page types (planned services)
hang them under a CityPage; the home and city pages list what is open now through
the other apps' selectors.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import ContentStreamBlock
from core.models import City


class HomePage(Page):
    """The site root: introduces the platform and lists the cities."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    subpage_types = ["cms.CityPage", "cms.ContentPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["city_pages"] = (
            CityPage.objects.live().public().child_of(self).select_related("city")
        )
        return context


class CityPage(Page):
    """A city's front page; everything the city runs hangs under it or points to it.

    One per city in each language: the translations share the `city` and a
    `translation_key`. The city's editors get page permissions on this subtree
    (`cms.services.city_setup`).
    """

    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A wide photo of the city shown behind the title (decorative)."),
    )
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )
    body = StreamField(ContentStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("city"),
        FieldPanel("hero_image"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    parent_page_types = ["cms.HomePage"]

    class Meta:
        verbose_name = _("city page")

    def clean(self):
        super().clean()
        duplicate = (
            CityPage.objects.filter(city_id=self.city_id, locale_id=self.locale_id)
            .exclude(pk=self.pk)
            .exclude(translation_key=self.translation_key)
        )
        if self.city_id and duplicate.exists():
            raise ValidationError(
                {"city": _("This city already has a page in this language.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["child_content_pages"] = (
            ContentPage.objects.live().public().child_of(self)
        )
        return context


class ContentPage(Page):
    """Terms, privacy notice, accessibility statement, method guides, open data."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(ContentStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("content page")
