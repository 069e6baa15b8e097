"""`/advice/desk/chats/<id>/publish/` (URL name `advice:publish`): the advisor
rewrites what a chat taught as a neutral question and answer and publishes it
into a city's knowledge base (`advice.services.publishing.answer_publish`).
The chat is shown beside the form to read from, never copied into it."""

from __future__ import annotations

import rules
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.roles import cities_with_role
from advice.models import Chat, ChatMessage
from advice.retention import transcript_expired
from advice.services.publishing import answer_publish
from core.errors import SERVICE_ERRORS, error_status, form_add_service_error
from feedback.models import ANSWER_MAX_LENGTH, TITLE_MAX_LENGTH, FeedbackService


class PublishForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=FeedbackService.objects.none()
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    question = forms.CharField(
        label=_("The question, in neutral form"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Leave out names, addresses, numbers and anything personal."),
    )
    answer = forms.CharField(
        label=_("The answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cities = cities_with_role(user, Role.ADVISOR, Role.ADVICE_SUPERVISOR)
        self.fields["service"].queryset = FeedbackService.objects.filter(
            city__in=cities, is_active=True
        ).select_related("city")
        self.fields["service"].label_from_instance = lambda service: (
            f"{service.city.name}: {service.name}"
        )


@login_required
@require_http_methods(["GET", "POST"])
def publish_view(request, chat_id: int):
    chat = Chat.objects.filter(pk=chat_id).first()
    if chat is None or not rules.has_perm("advice.publish_answer", request.user, chat):
        raise Http404
    form = PublishForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = answer_publish(
                    chat=chat,
                    user=request.user,
                    service=data["service"],
                    language=data["language"],
                    title=data["title"],
                    question=data["question"],
                    answer=data["answer"],
                )
            except SERVICE_ERRORS as error:
                form_add_service_error(form, error)
                status = error_status(error)
            else:
                return redirect(item.get_absolute_url())
    messages = []
    if not transcript_expired(chat):
        messages = list(ChatMessage.objects.filter(chat=chat).order_by("id"))
    return render(
        request,
        "advice/chat_publish.html",
        {"chat": chat, "form": form, "chat_messages": messages},
        status=status,
    )
