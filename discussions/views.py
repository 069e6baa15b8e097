"""Thin adapters from HTTP to the services.

Every write is a plain form POST answered with a redirect (post/redirect/get), so
everything works without JavaScript. `static/js/discussions/comments.js` posts the
same forms with `Accept: application/json` and gets JSON back instead. Invalid input
without JavaScript lands on a small page showing the form with its errors and the
text kept.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.actors import actor_from_request
from core.errors import (
    SERVICE_ERRORS,
    Forbidden,
    Invalid,
    error_fields,
    error_status,
    error_text,
    form_add_service_error,
)
from core.http import safe_next_url
from discussions import services
from discussions.forms import CommentForm, EditForm, ReplyForm, ReportForm
from discussions.models import Comment, CommentStatus, Discussion


def _comment_for(request: HttpRequest, comment_id: int, rule: str) -> Comment:
    """The comment, when the named rule lets this viewer see it; otherwise a 404,
    so that hidden, pending or deleted comments cannot be read (or even found) by
    walking their sequential ids."""
    comment = get_object_or_404(
        Comment.objects.select_related("discussion", "author"), pk=comment_id
    )
    if not rules.test_rule(rule, actor_from_request(request), comment):
        raise Http404
    return comment


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back_url(request: HttpRequest, discussion: Discussion, anchor: str = "") -> str:
    target = safe_next_url(request, discussion.url or "/").split("#", 1)[0]
    return f"{target}#{anchor}" if anchor else target


def _confirmed(
    request: HttpRequest, discussion: Discussion, comment: Comment, text: str
) -> HttpResponse:
    """Back to the page at its confirmation (the messages at the top, `#messages`),
    which links on to the comment: jumping to the comment itself left the
    confirmation off-screen, and the comment may be on another page of the list."""
    link = _back_url(request, discussion, f"comment-{comment.pk}")
    messages.success(
        request,
        format_html('{} <a href="{}">{}</a>', text, link, _("Show the comment")),
    )
    return redirect(_back_url(request, discussion, "messages"))


def _failure(
    request: HttpRequest,
    error: Exception,
    *,
    discussion: Discussion,
    form=None,
    title: str = "",
    comment: Comment | None = None,
) -> HttpResponse:
    status = error_status(error)
    if _wants_json(request):
        message, fields = error_text(error), error_fields(error)
        return JsonResponse(
            {"ok": False, "message": message, "errors": fields}, status=status
        )
    if form is None:
        messages.error(request, error_text(error))
        return redirect(_back_url(request, discussion))
    form_add_service_error(form, error)
    return _form_page(request, form, discussion, title, comment, status=status)


def _form_invalid(request, form, discussion, title, comment=None) -> HttpResponse:
    if _wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        first = next(iter(errors.values()))[0]
        return JsonResponse(
            {"ok": False, "message": first, "errors": errors}, status=400
        )
    return _form_page(request, form, discussion, title, comment, status=400)


def _form_page(request, form, discussion, title, comment, *, status=200):
    return render(
        request,
        "discussions/comment_action.html",
        {
            "form": form,
            "discussion": discussion,
            "title": title,
            "comment": comment,
            "next_url": _back_url(request, discussion),
            "action": request.path,
        },
        status=status,
    )


def _comment_html(request, comment: Comment, discussion: Discussion) -> str:
    comment.is_own = True
    comment.is_liked = False
    comment.can_edit = True
    comment.thread_replies = []
    return render_to_string(
        "discussions/includes/comment.html",
        {
            "comment": comment,
            "discussion": discussion,
            "can_comment": discussion.accepts_comments(),
            "next_url": _back_url(request, discussion),
            "is_reply": comment.parent_id is not None,
            "needs_login": False,
            "reply_anonymous": not request.user.is_authenticated,
        },
        request=request,
    )


def _posted(request, comment: Comment, discussion: Discussion) -> HttpResponse:
    pending = comment.status == CommentStatus.PENDING
    text = (
        _("Thank you! Your comment will appear once a moderator has approved it.")
        if pending
        else _("Thank you! Your comment was published.")
    )
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "id": comment.pk,
                "parent": comment.parent_id,
                "status": comment.status,
                "message": text,
                "html": _comment_html(request, comment, discussion),
                # The heading's count, so the page need not be reloaded for it.
                "comment_count": Discussion.objects.values_list(
                    "comment_count", flat=True
                ).get(pk=discussion.pk),
            },
            status=201,
        )
    return _confirmed(request, discussion, comment, text)


@require_POST
def comment_create_view(request: HttpRequest, discussion_id: int) -> HttpResponse:
    discussion = get_object_or_404(Discussion, pk=discussion_id)
    anonymous = not request.user.is_authenticated
    form = CommentForm(request.POST, anonymous=anonymous)
    title = _("Comment")
    if not form.is_valid():
        return _form_invalid(request, form, discussion, title)
    participant = actor_from_request(
        request,
        nickname=form.cleaned_data.get("nickname", ""),
        create_key=anonymous and discussion.allow_anonymous,
    )
    try:
        comment = services.comment_create(
            discussion=discussion,
            participant=participant,
            text=form.cleaned_data["text"],
            stance=form.cleaned_data.get("stance", ""),
            language=form.cleaned_data.get("language") or None,
        )
    except SERVICE_ERRORS as error:
        return _failure(request, error, discussion=discussion, form=form, title=title)
    return _posted(request, comment, discussion)


@require_POST
def comment_reply_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    parent = get_object_or_404(
        Comment.objects.select_related("discussion"), pk=comment_id
    )
    discussion = parent.discussion
    anonymous = not request.user.is_authenticated
    form = ReplyForm(request.POST, anonymous=anonymous)
    title = _("Reply")
    if not form.is_valid():
        return _form_invalid(request, form, discussion, title, parent)
    participant = actor_from_request(
        request,
        nickname=form.cleaned_data.get("nickname", ""),
        create_key=anonymous and discussion.allow_anonymous,
    )
    try:
        comment = services.comment_reply(
            parent=parent,
            participant=participant,
            text=form.cleaned_data["text"],
            language=form.cleaned_data.get("language") or None,
        )
    except SERVICE_ERRORS as error:
        return _failure(
            request,
            error,
            discussion=discussion,
            form=form,
            title=title,
            comment=parent,
        )
    return _posted(request, comment, discussion)


@require_POST
def comment_like_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("discussion"), pk=comment_id
    )
    participant = actor_from_request(request)
    unlike = request.POST.get("action") == "unlike"
    try:
        if unlike:
            services.comment_unlike(comment=comment, participant=participant)
        else:
            services.comment_like(comment=comment, participant=participant)
    except SERVICE_ERRORS as error:
        return _failure(request, error, discussion=comment.discussion)
    comment.refresh_from_db(fields=["like_count"])
    if _wants_json(request):
        return JsonResponse(
            {"ok": True, "liked": not unlike, "like_count": comment.like_count}
        )
    return redirect(_back_url(request, comment.discussion, f"comment-{comment.pk}"))


@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_for(request, comment_id, "discussions.edit_comment")
    discussion = comment.discussion
    title = _("Edit your comment")
    if request.method == "GET":
        form = EditForm(
            initial={
                "text": comment.text,
                "stance": comment.stance,
                "language": comment.language,
            }
        )
        return _form_page(request, form, discussion, title, None)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _form_invalid(request, form, discussion, title)
    try:
        services.comment_edit(
            comment=comment,
            participant=actor_from_request(request),
            text=form.cleaned_data["text"],
            stance=form.cleaned_data["stance"] if comment.parent_id is None else None,
            language=form.cleaned_data.get("language") or None,
        )
    except SERVICE_ERRORS as error:
        return _failure(request, error, discussion=discussion, form=form, title=title)
    if _wants_json(request):
        return JsonResponse({"ok": True, "text": comment.text})
    return _confirmed(request, discussion, comment, _("Your comment was changed."))


@require_POST
def comment_delete_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("discussion"), pk=comment_id
    )
    try:
        services.comment_delete(
            comment=comment, participant=actor_from_request(request)
        )
    except SERVICE_ERRORS as error:
        return _failure(request, error, discussion=comment.discussion)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    messages.success(request, _("Your comment was deleted."))
    return redirect(_back_url(request, comment.discussion))


@require_http_methods(["GET", "POST"])
def comment_report_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_for(request, comment_id, "discussions.view_comment")
    discussion = comment.discussion
    title = _("Report a comment")
    anonymous = not request.user.is_authenticated
    if request.method == "GET":
        viewer = actor_from_request(request)
        if not rules.test_rule("discussions.report_comment", viewer, comment):
            # Visible to this viewer (their own, or a moderator's view) but not
            # reportable: say why instead of showing a form that cannot succeed.
            return _failure(
                request,
                Forbidden(_("You cannot report this comment.")),
                discussion=discussion,
            )
        return _form_page(request, ReportForm(), discussion, title, comment)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _form_invalid(request, form, discussion, title, comment)
    try:
        services.comment_report(
            comment=comment,
            participant=actor_from_request(request, create_key=anonymous),
            reason=form.cleaned_data["reason"],
        )
    except SERVICE_ERRORS as error:
        return _failure(
            request,
            error,
            discussion=discussion,
            form=form,
            title=title,
            comment=comment,
        )
    text = _("Thank you. The moderators will look at the comment.")
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": text})
    return _confirmed(request, discussion, comment, text)


@require_POST
def discussion_support_view(request: HttpRequest, discussion_id: int) -> HttpResponse:
    discussion = get_object_or_404(Discussion, pk=discussion_id)
    raw = request.POST.get("value", "")
    try:
        value = int(raw) if raw else None
        services.discussion_support(
            discussion=discussion,
            participant=actor_from_request(request),
            value=value,
        )
    except ValueError:
        return _failure(
            request,
            Invalid(_("Choose support or oppose.")),
            discussion=discussion,
        )
    except SERVICE_ERRORS as error:
        return _failure(request, error, discussion=discussion)
    discussion.refresh_from_db(fields=["support_count", "oppose_count"])
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "value": value,
                "support_count": discussion.support_count,
                "oppose_count": discussion.oppose_count,
            }
        )
    messages.success(request, _("Thank you, your position was saved."))
    return redirect(_back_url(request, discussion, "support"))
