"""The public knowledge base: the list, one item's page, "me too" and comments.

Thin views over `feedback.selectors` and `feedback.services.supports`; every
form works without JavaScript.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.actors import actor_from_request
from core.errors import SERVICE_ERRORS, error_status, error_text
from core.http import safe_next_url
from discussions.context import discussion_context
from discussions.forms import CommentForm
from discussions.views import comment_create_view
from feedback import selectors
from feedback.kb_forms import KnowledgeBaseFilterForm
from feedback.models import FeedbackItem
from feedback.services.supports import (
    item_discussion,
    item_support,
    item_support_withdraw,
)
from notifications.selectors import is_following
from notifications.services import follow_create, follow_delete

CURSOR_MAX_LENGTH = 200


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    form = KnowledgeBaseFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = selectors.feedback_kb_list(
        **filters,
        after=request.GET.get("after", "")[:CURSOR_MAX_LENGTH],
        before=request.GET.get("before", "")[:CURSOR_MAX_LENGTH],
    )
    return render(
        request,
        "feedback/item_list.html",
        {
            "form": form,
            "page": page,
            "items": page.items,
            "next_query": _page_query(request, "after", page.next_cursor),
            "previous_query": _page_query(request, "before", page.previous_cursor),
            "is_filtered": form.is_bound and form.is_filtered,
        },
    )


def _page_query(request: HttpRequest, name: str, cursor: str | None) -> str | None:
    """The query string of the page `name` (after/before) `cursor`, with the
    filters kept."""
    if not cursor:
        return None
    params = request.GET.copy()
    params.pop("after", None)
    params.pop("before", None)
    params[name] = cursor
    return params.urlencode()


def _item_or_redirect(pk: int) -> FeedbackItem | HttpResponse:
    """The public item, a permanent redirect from a merged duplicate, or a 404."""
    item = selectors.feedback_kb_item_get(pk=pk)
    if item is not None and item.merged_into_id is None:
        return item
    target = selectors.feedback_kb_merged_target(pk=pk)
    if target is not None:
        return redirect(target, permanent=True)
    raise Http404


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _item_or_redirect(pk)
    if isinstance(found, HttpResponse):
        return found
    return _detail_page(request, found)


def _detail_page(
    request: HttpRequest, item: FeedbackItem, *, status: int = 200
) -> HttpResponse:
    """The item's page (also shown, with the reason, when an action is refused)."""
    actor = actor_from_request(request)
    page_path = (
        request.get_full_path() if request.method == "GET" else item.get_absolute_url()
    )
    discussion = selectors.feedback_kb_discussion_get(item=item)
    if discussion is not None:
        context = discussion_context(request, discussion, viewer=actor)
        context["next_url"] = page_path
    else:
        # No thread until the first comment: its form posts to `item_comment`,
        # which makes the thread (pages never write on GET).
        context = {
            "comment_form": CommentForm(
                anonymous=not request.user.is_authenticated, auto_id="id_comment_%s"
            ),
            "next_url": page_path,
        }
    return render(
        request,
        "feedback/item_detail.html",
        {
            "item": item,
            "supported": selectors.feedback_is_supported_by(
                item=item, user=actor.user, anonymous_key=actor.anonymous_key
            ),
            "can_support": rules.test_rule("feedback.support_item", actor, item),
            "following": is_following(user=request.user, target=item),
            "page_path": page_path,
            **context,
        },
        status=status,
    )


def _public_item(pk: int) -> FeedbackItem:
    item = selectors.feedback_kb_item_get(pk=pk)
    if item is None:
        raise Http404
    return item


def _back_to(request: HttpRequest, item: FeedbackItem) -> HttpResponse:
    return redirect(safe_next_url(request, item.get_absolute_url()))


@require_POST
def item_support_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _public_item(pk)
    actor = actor_from_request(request, create_key=True)
    try:
        added = item_support(item=item, actor=actor)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return _detail_page(request, item, status=error_status(error))
    if added:
        messages.success(request, _("Thank you! Your “me too” was counted."))
    else:
        messages.info(request, _("You have already said “me too” about this."))
    return _back_to(request, item)


@require_POST
def item_support_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _public_item(pk)
    if item_support_withdraw(item=item, actor=actor_from_request(request)):
        messages.success(request, _("Your “me too” was taken back."))
    return _back_to(request, item)


@require_POST
def item_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The first comment: make the item's thread, then post as to any thread."""
    item = _public_item(pk)
    try:
        discussion = item_discussion(item=item)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return _detail_page(request, item, status=error_status(error))
    return comment_create_view(request, discussion_id=discussion.pk)


@require_POST
def item_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow (or, with `stop`, stop following) an item: its status and answer
    then reach the notification centre. Signed-in people only."""
    item = _public_item(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(item.get_absolute_url())
    try:
        if request.POST.get("stop"):
            follow_delete(user=request.user, target=item)
            messages.success(request, _("You no longer follow this feedback."))
        else:
            follow_create(user=request.user, target=item)
            messages.success(
                request, _("You follow this feedback: you will hear of its answer.")
            )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return _detail_page(request, item, status=error_status(error))
    return _back_to(request, item)
