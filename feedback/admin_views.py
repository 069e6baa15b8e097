"""The feedback handlers' pages in the Wagtail admin: the queue (and its overdue
view) with bulk actions, and one item's page with every handling action.

Thin adapters: the queue reads through `feedback.queue`, every action goes
through `feedback.services.handling`, which asks `feedback.handle_item` for each
item. The pages are for `feedback.handle_somewhere`; another city's item is a
404, so its existence is not revealed. A refusal is shown on the form it belongs
to (or as a message for a bulk action), never a 500.
"""

from __future__ import annotations

import datetime

import rules
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import SERVICE_ERRORS, error_text, form_add_service_error
from feedback import queue
from feedback.admin_forms import (
    AnswerForm,
    AssignForm,
    BulkAgencyForm,
    MergeForm,
    RedactForm,
    StatusForm,
)
from feedback.models import FeedbackItem, Kind, Status, Visibility
from feedback.photos import photo_path
from feedback.rules import handler_cities
from feedback.services import handling
from feedback.services.notices import item_path

# At most this many items in one bulk action (the queue shows 25 a page).
MAX_BULK = 200


def _refused(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "feedback/admin/refused.html",
        {"message": _("Only the city's feedback handlers can do that.")},
        status=403,
    )


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values[:MAX_BULK]:
        try:
            number = int(value)
        except ValueError:
            continue
        if 0 < number < 2**63:
            ids.append(number)
    return ids


@require_http_methods(["GET", "POST"])
def queue_view(request: HttpRequest, overdue: bool = False) -> HttpResponse:
    if not rules.test_rule("feedback.handle_somewhere", request.user):
        return _refused(request)
    cities = list(handler_cities(request.user))
    if request.method == "POST":
        return _bulk(request, cities)
    filters = queue.filters_from(request.GET, cities, overdue=overdue)
    page = queue.queue_page(
        user=request.user, filters=filters, page=request.GET.get("p")
    )
    title = _("Overdue feedback") if overdue else _("Feedback queue")
    return TemplateResponse(
        request,
        "feedback/admin/queue.html",
        {
            "page_title": title,
            "header_icon": "mail",
            "overdue_view": overdue,
            "items": page,
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
            "queue_filters": filters,
            "cities": cities,
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "visibilities": Visibility.choices,
            # One form, several actions: no field may block another's submit.
            "status_form": StatusForm(prefix="bulk", use_required_attribute=False),
            "agency_form": BulkAgencyForm(
                prefix="bulk", cities=cities, use_required_attribute=False
            ),
            "query": request.GET.urlencode(),
            "now": timezone.now(),
            **queue.filter_choices(cities),
        },
    )


def _bulk(request: HttpRequest, cities) -> HttpResponse:
    back = request.path
    query = request.POST.get("query", "")
    if query:
        back = f"{back}?{query}"
    ids = _ids(request.POST.getlist("items"))
    items = list(
        FeedbackItem.objects.filter(pk__in=ids, city__in=cities).order_by("pk")
    )
    if not items:
        messages.error(request, _("Choose at least one feedback item."))
        return redirect(back)
    action = request.POST.get("action")
    user = request.user
    if action == "status":
        form = StatusForm(request.POST, prefix="bulk")
        if not form.is_valid():
            messages.error(request, _("Choose a status."))
            return redirect(back)

        def act(item):
            handling.status_change(item=item, user=user, **form.cleaned_data)

    elif action == "assign":
        form = BulkAgencyForm(request.POST, prefix="bulk", cities=cities)
        if not form.is_valid():
            messages.error(request, _("Choose an agency."))
            return redirect(back)

        def act(item):
            handling.item_assign(
                item=item, user=user, agency=form.cleaned_data["agency"]
            )

    elif action == "publish":

        def act(item):
            handling.item_publish(item=item, user=user)

    elif action == "private":

        def act(item):
            handling.item_make_private(item=item, user=user)

    else:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    done, failed = 0, []
    for item in items:
        try:
            act(item)
            done += 1
        except SERVICE_ERRORS as error:
            failed.append(f"#{item.pk}: {error_text(error)}")
    if done:
        messages.success(request, _("Feedback items changed: %(n)d.") % {"n": done})
    for text in failed:
        messages.error(request, text)
    return redirect(back)


def _end_of_day(date: datetime.date | None) -> datetime.datetime | None:
    if date is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.max))


def _item(request: HttpRequest, item_id: int) -> FeedbackItem:
    item = (
        FeedbackItem.objects.select_related(
            "city", "service", "agency", "assigned_to", "district", "merged_into"
        )
        .filter(pk=item_id)
        .first()
    )
    # Another city's item does not exist for this handler.
    if item is None or not rules.has_perm("feedback.handle_item", request.user, item):
        raise Http404
    return item


def _forms(item: FeedbackItem, data=None, action: str = "") -> dict:
    expected = timezone.localtime(item.expected_at).date() if item.expected_at else None

    def bound(name):
        return data if action == name else None

    return {
        "status_form": StatusForm(
            bound("status"), prefix="status", initial={"status": item.status}
        ),
        "answer_form": AnswerForm(
            bound("answer"), prefix="answer", initial={"answer": item.answer}
        ),
        "assign_form": AssignForm(
            bound("assign"),
            prefix="assign",
            item=item,
            initial={
                "agency": item.agency_id,
                "assignee": item.assigned_to_id,
                "expected_at": expected,
            },
        ),
        "redact_form": RedactForm(
            bound("redact"),
            prefix="redact",
            initial={
                "public_title": item.public_title,
                "public_description": item.public_description,
            },
        ),
        "merge_form": MergeForm(bound("merge"), prefix="merge"),
    }


def _act(request: HttpRequest, item: FeedbackItem, action: str, forms: dict):
    """Run `action`; True when done, else the form carries the errors."""
    user = request.user
    form = forms.get(f"{action}_form")
    if form is not None and not form.is_valid():
        return False
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "status":
            handling.status_change(item=item, user=user, **data)
        elif action == "answer":
            handling.answer_give(item=item, user=user, answer=data["answer"])
        elif action == "assign":
            handling.item_assign(
                item=item,
                user=user,
                agency=data["agency"],
                assignee=data["assignee"],
                expected_at=_end_of_day(data["expected_at"]),
            )
        elif action == "redact":
            handling.item_redact(item=item, user=user, **data)
        elif action == "merge":
            into = FeedbackItem.objects.filter(pk=data["into"]).first()
            if into is None or not rules.has_perm("feedback.handle_item", user, into):
                form.add_error("into", _("There is no feedback with that number."))
                return False
            handling.items_merge(duplicate=item, into=into, user=user)
        elif action == "publish":
            handling.item_publish(item=item, user=user)
        elif action == "private":
            handling.item_make_private(item=item, user=user)
        elif action == "place":
            handling.place_confirm(item=item, user=user)
        elif action in ("photo_approve", "photo_reject"):
            photo_ids = _ids([request.POST.get("photo", "")])
            photo = item.photos.filter(pk__in=photo_ids).first()
            if photo is None:
                messages.error(request, _("That photo no longer exists."))
                return False
            handling.photo_review(
                photo=photo, user=user, approve=action == "photo_approve"
            )
        else:
            messages.error(request, _("Unknown action."))
            return False
    except SERVICE_ERRORS as error:
        if form is not None:
            form_add_service_error(form, error)
        else:
            messages.error(request, error_text(error))
        return False
    return True


@require_http_methods(["GET", "POST"])
def item_view(request: HttpRequest, item_id: int) -> HttpResponse:
    if not rules.test_rule("feedback.handle_somewhere", request.user):
        return _refused(request)
    item = _item(request, item_id)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        forms = _forms(item, request.POST, action)
        if _act(request, item, action, forms):
            messages.success(request, _("Saved."))
            return redirect("feedback_admin:item", item_id=item.pk)
        status = 400
    else:
        forms = _forms(item)
    photos = [(photo, photo_path(photo.image.name)) for photo in item.photos.all()]
    return TemplateResponse(
        request,
        "feedback/admin/item.html",
        {
            "item": item,
            "history": list(item.history.select_related("changed_by")),
            "photos": photos,
            "duplicates": list(
                item.duplicates.only("pk", "public_title", "merged_into_id")
            ),
            "public_url": item_path(item) if item.is_public else "",
            "now": timezone.now(),
            **forms,
        },
        status=status,
    )
