"""What the content pages add to the shared registries (search).

Registered from `CmsConfig.ready()`; reads only.
"""

from __future__ import annotations

from django.utils.html import strip_tags

from cms.models import ContentPage
from core import searchables
from core.searchables import Document

PAGE_SEARCH_KIND = "page"


def _public_pages():
    # Live, and without a view restriction (a private page is never indexed).
    return ContentPage.objects.live().public()


def page_documents(ids) -> list[Document]:
    """The public content pages among `ids`, each in its own language."""
    body_field = ContentPage._meta.get_field("body")
    pages = _public_pages().filter(pk__in=ids).select_related("locale")
    documents = []
    for page in pages:
        texts = [page.summary, *body_field.get_searchable_content(page.body)]
        documents.append(
            Document(
                kind=PAGE_SEARCH_KIND,
                object_id=page.pk,
                language=page.locale.language_code,
                title=page.title,
                body="\n".join(strip_tags(text) for text in texts if text),
                url=page.get_url() or "",
                date=page.last_published_at or page.first_published_at,
            )
        )
    return documents


def public_page_ids():
    return _public_pages().values_list("pk", flat=True).iterator()


def page_changed(sender, instance, **kwargs) -> None:
    """Wagtail published or unpublished a content page (the admin, a script or
    the scheduler): the search rereads it after commit."""
    searchables.reindex_on_commit(PAGE_SEARCH_KIND, instance.pk)
