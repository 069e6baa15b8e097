"""Writes to the page tree's structure and the admin permissions hanging on it."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from accounts.models import Role
from accounts.services import city_role_groups_ensure
from cms.models import CityPage
from core.models import City

# What a city's editors may do on their city's pages (and everything below them).
# No bulk delete: an editor unpublishes, a site admin removes whole branches.
EDITOR_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
# What they may do with images and documents in their city's collection.
EDITOR_MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _city_collection(city: City) -> Collection:
    """The city's own media collection, created once under the root collection."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=city.name_fi).first()
    if collection is None:
        collection = root.add_child(name=city.name_fi)
    return collection


@transaction.atomic
def city_setup(*, city: City, city_page: CityPage) -> dict[str, Group]:
    """Give the city's role groups their admin rights; safe to run again.

    Editors get page permissions on the city page in every language (and so on
    everything under it) and on the city's media collection. Moderators and
    facilitators get admin access (their own tools add what else they need).
    Run it again after adding a language so the new translation is covered.
    """
    if city_page.city_id != city.pk:
        raise ValidationError(
            _("The city page %(page)s does not belong to %(city)s.")
            % {"page": city_page.title, "city": city.name_fi}
        )
    groups = city_role_groups_ensure(city)
    editors = groups[Role.EDITOR.value]

    page_permissions = [
        _permission("wagtailcore", f"{kind}_page") for kind in EDITOR_PAGE_PERMISSIONS
    ]
    city_pages = Page.objects.filter(
        translation_key=city_page.translation_key
    ).order_by("path")
    for page in city_pages:
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=page, permission=permission
            )

    collection = _city_collection(city)
    for app_label, codenames in EDITOR_MEDIA_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=editors,
                collection=collection,
                permission=_permission(app_label, codename),
            )
    return groups
