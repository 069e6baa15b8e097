"""Thin views over feedback.services and feedback.selectors: giving feedback,
the sender's follow-up page and the photos. Every form works without JS."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.actors import actor_from_request
from core.errors import SERVICE_ERRORS, error_status, error_text, form_add_service_error
from core.media import media_serve
from core.models import City
from core.ratelimit import client_ip, limit_exceeded
from core.text.fields import current_text_language
from feedback import selectors
from feedback.forms import FeedbackForm
from feedback.models import FeedbackItem, Status
from feedback.photos import PHOTO_FOLDER, photo_name
from feedback.registrations import follow_up_remember
from feedback.rules import is_sender, may_still_withdraw
from feedback.services import intake

SENT_SESSION_KEY = "feedback_sent"
SIMILAR_REQUESTS_PER_MINUTE = 120
SIMILAR_QUERY_MAX_LENGTH = 500
# The trail a resident expects, in order; the page marks how far the item is.
TRAIL = (Status.RECEIVED, Status.ALLOCATED, Status.HANDLING, Status.DONE)


def _map_settings() -> dict:
    return {
        "tiles": settings.FEEDBACK_MAP_TILES,
        "attribution": settings.FEEDBACK_MAP_ATTRIBUTION,
        "center": settings.FEEDBACK_MAP_CENTER,
    }


def _form_page(request: HttpRequest, form: FeedbackForm, *, status: int = 200):
    form.tie_errors()
    return render(
        request,
        "feedback/new.html",
        {
            "form": form,
            "service_cities": form.service_cities,
            "map_settings": _map_settings(),
            "similar_url": reverse("feedback:similar"),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    """Give feedback: the form, and on POST the item with its follow-up link."""
    if request.method == "GET":
        initial = {"language": current_text_language()}
        if request.GET.get("city"):
            initial["city"] = request.GET["city"][:60]
        service = request.GET.get("service", "")[:60]
        if service:
            initial["service"] = service
        return _form_page(request, FeedbackForm(initial=initial))
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    actor = actor_from_request(request, create_key=True)
    try:
        item, token = intake.feedback_submit(
            actor=actor,
            service=data["service"],
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            language=data["language"],
            address=data.get("address", ""),
            lat=data.get("lat"),
            long=data.get("long"),
            district=data.get("district"),
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            phone=data.get("phone", ""),
            photos=data.get("photos") or [],
        )
    except SERVICE_ERRORS as error:
        form_add_service_error(form, error)
        return _form_page(request, form, status=error_status(error))
    # The link is shown once, from the session: never in a URL that could land in
    # a log, a history or a Referer.
    if not actor.is_registered:
        # My activity lists it in this browser (signed-in senders have theirs).
        follow_up_remember(request.session, token)
    request.session[SENT_SESSION_KEY] = {
        "token": token,
        "email": bool(item.email),
        "public": item.is_public,
        "photos": item.photos.count(),
    }
    return redirect("feedback:sent")


@require_GET
def feedback_sent(request: HttpRequest) -> HttpResponse:
    """The receipt with the private follow-up link, shown once."""
    sent = request.session.pop(SENT_SESSION_KEY, None)
    if not sent:
        return redirect("feedback:new")
    response = render(
        request,
        "feedback/sent.html",
        {
            "track_url": request.build_absolute_uri(
                reverse("feedback:track", kwargs={"token": sent["token"]})
            ),
            "sent": sent,
        },
    )
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    """A page whose address is a secret: never sent on as a Referer, never cached."""
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _track_page(
    request: HttpRequest,
    item: FeedbackItem,
    *,
    withdraw_url: str,
    photo_token: str = "",
    status: int = 200,
) -> HttpResponse:
    history = list(selectors.public_history(item))
    reached = TRAIL.index(item.status) if item.status in TRAIL else 0
    steps = [
        {
            "status": step,
            "label": step.label,
            "done": index <= reached,
            "current": index == reached,
        }
        for index, step in enumerate(TRAIL)
    ]
    photos = [
        {"photo": photo, "name": photo_name(photo)} for photo in item.photos.all()
    ]
    response = render(
        request,
        "feedback/track.html",
        {
            "item": item,
            "history": history,
            "steps": steps,
            "photos": photos,
            "photo_token": photo_token,
            "withdraw_url": withdraw_url,
            "may_withdraw": may_still_withdraw(None, item),
        },
        status=status,
    )
    return _private(response)


def _item_for_token(token: str) -> FeedbackItem:
    item = selectors.item_by_token(token)
    if item is None:
        raise Http404
    return item


@require_GET
def feedback_track(request: HttpRequest, token: str) -> HttpResponse:
    """The sender's follow-up page: trail, answer, own text and photos, withdraw."""
    item = _item_for_token(token)
    return _track_page(
        request,
        item,
        withdraw_url=reverse("feedback:withdraw", kwargs={"token": token}),
        photo_token=token,
    )


@require_POST
def feedback_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    item = _item_for_token(token)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the withdrawal."))
        return redirect("feedback:track", token=token)
    try:
        intake.feedback_withdraw(item=item, token=token)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return _track_page(
            request,
            item,
            withdraw_url=request.path,
            photo_token=token,
            status=error_status(error),
        )
    messages.success(request, _("Your feedback was withdrawn."))
    return redirect("feedback:track", token=token)


def _own_item(request: HttpRequest, pk: int) -> FeedbackItem:
    """The item `pk` when the visitor sent it (signed in, or the same browser)."""
    item = FeedbackItem.objects.filter(pk=pk).select_related("service").first()
    if item is None or not is_sender(actor_from_request(request), item):
        raise Http404
    return item


@require_GET
def feedback_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The follow-up page for the sender without the link (from their activity)."""
    item = _own_item(request, pk)
    return _track_page(
        request,
        item,
        withdraw_url=reverse("feedback:mine_withdraw", kwargs={"pk": pk}),
    )


@require_POST
def feedback_mine_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_item(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the withdrawal."))
        return redirect("feedback:mine", pk=pk)
    try:
        intake.feedback_withdraw(item=item, actor=actor_from_request(request))
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return redirect("feedback:mine", pk=pk)
    messages.success(request, _("Your feedback was withdrawn."))
    return redirect("feedback:mine", pk=pk)


@require_GET
def feedback_similar(request: HttpRequest) -> HttpResponse:
    """An HTML fragment for the form's script: answered feedback like the text."""
    if limit_exceeded(
        f"feedback-similar-ip:{client_ip(request)}",
        limit=SIMILAR_REQUESTS_PER_MINUTE,
        window_seconds=60,
    ):
        return HttpResponse(status=429)
    text = request.GET.get("q", "")[:SIMILAR_QUERY_MAX_LENGTH]
    city = None
    slug = request.GET.get("city", "")[:60]
    if slug:
        city = City.objects.filter(slug=slug).first()
    items = selectors.similar_answered(text, city=city)
    return render(request, "feedback/similar.html", {"items": items, "query": text})


def feedback_photo(request: HttpRequest, name: str) -> HttpResponse:
    """A photo, by its random name, to whoever `photo_visible` lets see it."""
    return media_serve(request, PHOTO_FOLDER + name)
