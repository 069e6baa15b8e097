"""StreamField blocks shared by the content pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(
        label=_("Answer"), features=["bold", "italic", "link", "ol", "ul"]
    )

    class Meta:
        icon = "help"
        label = _("Question and answer")


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    items = blocks.ListBlock(FaqItemBlock(), label=_("Questions"))

    class Meta:
        icon = "list-ul"
        label = _("FAQ accordion")
        template = "cms/blocks/faq_block.html"


class ContentStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=120,
        form_classname="title",
        template="cms/blocks/heading_block.html",
    )
    rich_text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"],
    )
    image = ImageBlock(label=_("Image"), template="cms/blocks/image_block.html")
    embed = EmbedBlock(label=_("Embedded media"), max_width=800)
    faq = FaqBlock()
