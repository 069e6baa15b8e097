"""Wagtail admin screens: the moderation queue per city and publishing the answer.

Authorisation is `accounts.roles.has_city_role` on every action (in the services);
the list shows only cities where the user is a moderator.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.roles import cities_with_role, has_city_role
from participation import services
from participation.models import Comment, CommentingBlock, PlannedServicePage
from participation.selectors import moderation_log, moderation_queue


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def moderation_queue_view(request: HttpRequest) -> HttpResponse:
    if not cities_with_role(request.user, Role.MODERATOR).exists():
        raise PermissionDenied
    comments = moderation_queue(user=request.user)
    return TemplateResponse(
        request,
        "participation/admin/moderation_queue.html",
        {
            "page_title": _("Comment moderation"),
            "header_icon": "comment",
            "comments": comments,
            "log": moderation_log(user=request.user),
            "blocks": CommentingBlock.objects.filter(
                city__in=cities_with_role(request.user, Role.MODERATOR)
            ).select_related("user", "city", "blocked_by")[:100],
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
                raise ValidationError(_("Only registered users can be blocked."))
            services.user_block(
                user=comment.author,
                city=comment.discussion.city,
                moderator=request.user,
                reason=reason,
            )
            messages.success(request, _("The user can no longer comment here."))
        else:
            raise ValidationError(_("Unknown action."))
    except PermissionDenied as error:
        raise PermissionDenied(_message(error)) from error
    except ValidationError as error:
        messages.error(request, _message(error))
    return redirect("participation_admin:moderation")


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
    except PermissionDenied as error:
        raise PermissionDenied(_message(error)) from error
    except ValidationError as error:
        messages.error(request, _message(error))
    return redirect("participation_admin:moderation")


def answer_publish_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(PlannedServicePage, pk=page_id)
    if not has_city_role(request.user, page.city, Role.EDITOR):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.service_answer_publish(page=page, user=request.user)
        except ValidationError as error:
            messages.error(request, _message(error))
            return redirect("participation_admin:answer_publish", page_id=page.pk)
        messages.success(
            request,
            _("The answer is published; the participants are being e-mailed."),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    latest = page.get_latest_revision_as_object()
    return TemplateResponse(
        request,
        "participation/admin/answer_publish.html",
        {
            "page_title": _("Publish the city's answer"),
            "header_icon": "comment",
            "page": page,
            "latest": latest,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )
