"""The advisors' offline questions: `/advice/desk/offline/` lists them (oldest
first, a page at a time) and `/advice/desk/offline/<id>/` answers one by e-mail
(`advice.services.offline.offline_answer`). URL names `advice:offline_list`,
`advice:offline_answer`."""

from __future__ import annotations

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from advice.languages import language_name
from advice.models import MESSAGE_TEXT_MAX, Chat, ChatMessage
from advice.retention import transcript_expired
from advice.selectors_offline import offline_question_list
from advice.services.offline import offline_answer
from core.errors import SERVICE_ERRORS, error_status, form_add_service_error


class OfflineAnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your answer"),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        max_length=MESSAGE_TEXT_MAX,
        help_text=gettext_lazy("Sent by e-mail to the address the resident gave."),
    )


def _desk_user(request):
    if not rules.has_perm("advice.use_desk", request.user):
        raise PermissionDenied


@login_required
def offline_list(request):
    _desk_user(request)
    chats, following = offline_question_list(
        user=request.user, cursor=request.GET.get("after", "")
    )
    for chat in chats:
        chat.language_label = language_name(chat.language)
    return render(
        request,
        "advice/offline_list.html",
        {"chats": chats, "following": following},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offline_answer_view(request, chat_id: int):
    _desk_user(request)
    chat = Chat.objects.select_related("city", "topic").filter(pk=chat_id).first()
    if chat is None or not rules.has_perm("advice.advise", request.user, chat):
        raise Http404
    form = OfflineAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offline_answer(chat=chat, user=request.user, text=form.cleaned_data["text"])
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
            status = error_status(error)
        else:
            messages.success(request, _("Your answer was sent by e-mail."))
            return redirect("advice:offline_list")
    else:
        status = 400 if request.method == "POST" else 200
    question = []
    if not transcript_expired(chat):
        question = list(ChatMessage.objects.filter(chat=chat).order_by("id"))
    return render(
        request,
        "advice/offline_answer.html",
        {
            "chat": chat,
            "question": question,
            "form": form,
            "language_label": language_name(chat.language),
        },
        status=status,
    )
