"""Wagtail admin screens: the comment moderation queue per city.

Authorisation is the named rules: `discussions.open_moderation_queue` for the
screen, `discussions.moderate` on every action (in the services); the list shows
only cities where the user is a moderator. Whatever a service refuses (a
moderator of another city included) is shown with `core.errors.error_text` as a
message on the queue: Wagtail's admin would turn a 403 into a redirect to its
home page with a generic message, losing the reason.
"""

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import SERVICE_ERRORS, Invalid, error_text
from discussions import services
from discussions.models import Comment, CommentingBlock
from discussions.selectors import (
    commenting_block_list,
    moderation_log,
    moderation_queue,
)


def moderation_queue_view(request: HttpRequest) -> HttpResponse:
    if not rules.test_rule("discussions.open_moderation_queue", request.user):
        raise PermissionDenied
    comments = moderation_queue(user=request.user)
    return TemplateResponse(
        request,
        "discussions/admin/moderation_queue.html",
        {
            "page_title": _("Comment moderation"),
            "header_icon": "comment",
            "comments": comments,
            "log": moderation_log(user=request.user),
            "blocks": commenting_block_list(user=request.user),
            "languages": settings.LANGUAGES,
        },
    )


@require_POST
def moderation_action_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("discussion", "author"), pk=comment_id
    )
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    try:
        if action == "hide":
            services.comment_hide(
                comment=comment, moderator=request.user, reason=reason
            )
            messages.success(request, _("The comment was hidden."))
        elif action == "restore":
            services.comment_restore(
                comment=comment, moderator=request.user, reason=reason
            )
            messages.success(request, _("The comment is shown again."))
        elif action == "block":
            if comment.author is None:
                raise Invalid(
                    _("Only registered users can be blocked."), code="anonymous"
                )
            services.user_block(
                user=comment.author,
                city=comment.discussion.city,
                moderator=request.user,
                reason=reason,
            )
            messages.success(request, _("The user can no longer comment here."))
        elif action == "language":
            services.comment_language_set(
                comment=comment,
                moderator=request.user,
                language=request.POST.get("language", ""),
            )
            messages.success(request, _("The comment's language was corrected."))
        else:
            raise Invalid(_("Unknown action."), field="action")
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect("discussions_admin:moderation")


@require_POST
def unblock_view(request: HttpRequest, block_id: int) -> HttpResponse:
    block = get_object_or_404(
        CommentingBlock.objects.select_related("user"), pk=block_id
    )
    try:
        services.user_unblock(
            user=block.user,
            city=block.city,
            moderator=request.user,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("The user may comment again."))
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect("discussions_admin:moderation")
