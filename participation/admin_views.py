"""Wagtail admin screen for publishing the city's answer to a planned service.

Who may is the named rule `participation.publish_answer`; what the service
refuses is shown with `core.errors.error_text` as a message on the screen.
Comment moderation is `discussions.admin_views`.
"""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import SERVICE_ERRORS, error_text
from participation import services
from participation.models import PlannedServicePage
from participation.selectors import service_answer_to_publish


def answer_publish_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(PlannedServicePage, pk=page_id)
    if not rules.has_perm("participation.publish_answer", request.user, page):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.service_answer_publish(page=page, user=request.user)
        except SERVICE_ERRORS as error:
            messages.error(request, error_text(error))
            return redirect("participation_admin:answer_publish", page_id=page.pk)
        messages.success(
            request,
            _("The answer is published; the participants are being e-mailed."),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return TemplateResponse(
        request,
        "participation/admin/answer_publish.html",
        {
            "page_title": _("Publish the city's answer"),
            "header_icon": "comment",
            "page": page,
            # This copy's answer, else the one its readers will be shown.
            "answer": service_answer_to_publish(page=page),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )
