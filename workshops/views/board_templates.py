"""Board templates: saving a board's set-up, the facilitator's list of templates,
deleting one. Creating a workshop from one is the workshop form's `template`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.roles import cities_with_role
from core.errors import SERVICE_ERRORS, error_text
from workshops import selectors, services
from workshops.forms import BoardTemplateForm
from workshops.models import BoardTemplate
from workshops.views.common import board_of, facilitated_workshop


@login_required
@require_POST
def board_template_save(request, pk: int, board_id: int):
    workshop = facilitated_workshop(request, pk)
    board = board_of(workshop, board_id)
    board.workshop = workshop
    form = BoardTemplateForm(request.POST, prefix="template")
    if not form.is_valid():
        messages.error(request, _("Check the template: it needs a name and a phase."))
        return redirect("workshops:board_columns", pk=pk, board_id=board_id)
    try:
        template = services.board_template_save(
            user=request.user, board=board, **form.cleaned_data
        )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return redirect("workshops:board_columns", pk=pk, board_id=board_id)
    messages.success(
        request,
        _("The board was saved as the template “%(name)s”.") % {"name": template.name},
    )
    return redirect("workshops:templates")


@login_required
def board_template_list(request):
    if not cities_with_role(request.user, Role.FACILITATOR).exists():
        raise PermissionDenied
    return render(
        request,
        "workshops/boardtemplate_list.html",
        {"templates": selectors.board_template_list(user=request.user)},
    )


@login_required
@require_POST
def board_template_delete(request, template_id: int):
    template = get_object_or_404(BoardTemplate, pk=template_id)
    try:
        services.board_template_delete(user=request.user, template=template)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("The template “%(name)s” was deleted.") % {"name": template.name}
        )
    return redirect("workshops:templates")
