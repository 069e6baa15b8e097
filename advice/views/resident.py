"""Starting a chat at `/advice/` and the resident's chat at `/advice/chats/<id>/`.

The browser session that started a chat holds its key (`chat_remember`); every
view here asks `resident_chat` with it, so another session's chat is a 404.
With `panel=1` (the chat button's panel) the same views answer with a fragment
of the page instead of the whole page; every form still works as a plain post.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from advice import selectors
from advice.forms import ChatStartForm, MessageForm, RatingForm
from advice.hours import open_city_ids
from advice.languages import ALWAYS_OFFERED
from advice.models import (
    DEFAULT_TRANSCRIPT_RETENTION_DAYS,
    AdviceCitySettings,
    AdviceTopic,
    AdvisorLanguage,
    Chat,
    ChatStatus,
    HolidayException,
    OpeningHours,
)
from advice.services import chats as chat_services
from advice.services import transcripts
from core.errors import SERVICE_ERRORS, error_status, error_text, form_add_service_error
from core.models import City
from core.ratelimit import client_ip

# The privacy notice's slugs in the site's languages (cms/demo/privacy.py).
PRIVACY_SLUGS = ("tietosuojaseloste", "dataskyddsbeskrivning", "privacy-notice")
FORM_PREFIX = "advice"


def _is_panel(request: HttpRequest) -> bool:
    return (request.POST.get("panel") or request.GET.get("panel")) == "1"


def _private(response: HttpResponse) -> HttpResponse:
    """A chat is a private page: not cached, not indexed, never sent on as Referer."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _hours_text(rows: list) -> str:
    return ", ".join(
        f"{row.opens:%H.%M}–{row.closes:%H.%M}"
        + (f" ({row.language})" if getattr(row, "language", "") else "")
        for row in rows
    )


def _desks(cities: list[City]) -> list[dict]:
    """Each city with opening hours: open now (its general hours), today's hours."""
    today = timezone.localdate()
    hours: dict[int, list] = {}
    for row in OpeningHours.objects.filter(weekday=today.weekday()).order_by("opens"):
        hours.setdefault(row.city_id, []).append(row)
    holidays = {h.city_id: h for h in HolidayException.objects.filter(date=today)}
    with_hours = set(OpeningHours.objects.values_list("city_id", flat=True).distinct())
    open_now = open_city_ids(language="")  # the general hours, every city at once
    desks = []
    for city in cities:
        if city.pk not in with_hours and city.pk not in holidays:
            continue
        holiday = holidays.get(city.pk)
        if holiday is not None:
            rows = [holiday] if holiday.opens else []
        else:
            rows = hours.get(city.pk, [])
        desks.append(
            {
                "city": city.name,
                "open": city.pk in open_now,
                "hours": _hours_text(rows),
            }
        )
    return desks


def _start_context(form: ChatStartForm, cities: list[City], panel: bool) -> dict:
    retention = [
        {"city": row.city.name, "days": row.transcript_retention_days}
        for row in AdviceCitySettings.objects.select_related("city")
        if row.transcript_retention_days != DEFAULT_TRANSCRIPT_RETENTION_DAYS
    ]
    return {
        "form": form,
        "desks": _desks(cities),
        "retention_default": DEFAULT_TRANSCRIPT_RETENTION_DAYS,
        "retention": retention,
        "privacy_slugs": PRIVACY_SLUGS,
        "panel": panel,
    }


def _start_form(request: HttpRequest, data=None) -> tuple[ChatStartForm, list[City]]:
    cities = list(City.objects.all())
    offered = set(AdvisorLanguage.objects.values_list("language", flat=True).distinct())
    initial = {"language": request.LANGUAGE_CODE}
    if request.LANGUAGE_CODE not in ALWAYS_OFFERED:
        initial = {}
    form = ChatStartForm(
        data,
        prefix=FORM_PREFIX,
        initial=initial,
        cities=cities,
        topics=list(AdviceTopic.objects.filter(active=True)),
        languages=sorted(offered),
    )
    return form, cities


def _start_page(
    request: HttpRequest, form: ChatStartForm, cities: list[City], *, status: int = 200
) -> HttpResponse:
    panel = _is_panel(request)
    template = "advice/chat_start_panel.html" if panel else "advice/chat_start.html"
    return render(request, template, _start_context(form, cities, panel), status=status)


@require_http_methods(["GET", "POST"])
def chat_start_view(request: HttpRequest) -> HttpResponse:
    """`/advice/`: the form; a POST starts the chat and goes to it."""
    if request.method == "GET":
        form, cities = _start_form(request)
        origin = request.GET.get("from", "")
        if origin:
            form.initial["origin_path"] = origin[:500]
        return _start_page(request, form, cities)
    form, cities = _start_form(request, request.POST)
    if not form.is_valid():
        return _start_page(request, form, cities, status=400)
    data = form.cleaned_data
    try:
        chat, key = chat_services.chat_start(
            city=data["city"],
            language=data["language"],
            topic=data["topic"],
            text=data["text"],
            email=data["email"],
            origin_path=data["origin_path"],
            user=request.user,
            ip=client_ip(request),
        )
    except SERVICE_ERRORS as error:
        form_add_service_error(form, error)
        return _start_page(request, form, cities, status=error_status(error))
    chat_services.chat_remember(request.session, chat, key)
    return redirect(_chat_url(chat.pk, panel=_is_panel(request)))


def _chat_url(pk: int, *, panel: bool = False) -> str:
    url = reverse("advice:chat", kwargs={"pk": pk})
    return f"{url}?panel=1" if panel else url


def _own_chat(request: HttpRequest, pk: int) -> Chat:
    """The chat this browser session started (or its signed-in resident's from
    any browser), or 404 (unknown or another's)."""
    key = chat_services.session_chat_key(request.session, pk)
    chat = chat_services.resident_chat(chat_id=pk, key=key, user=request.user)
    if chat is None:
        raise Http404
    return chat


def _when(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def _chat_strings() -> dict:
    return {
        "statuses": {value: str(label) for value, label in ChatStatus.choices},
        "you": _("You"),
        "advisor": _("Advisor"),
        "system": _("Advice desk"),
        "live": _("Live: new messages appear by themselves."),
        "reconnecting": _("Connection lost; reconnecting…"),
        "ended": _("The live connection has ended. Refresh the page."),
        "newMessage": _("New message from %(name)s"),
        "accepted": _("%(name)s is now answering you."),
        "closed": _("The chat has ended."),
        "transferred": _("Your chat was handed to another advisor or queue."),
        "position": _("Your place in the queue: %(n)s"),
        "waitMinutes": _("about %(n)s min"),
        "empty": _("Write a message first."),
        "error": _("Something went wrong. Try again."),
        "thanks": _("Thank you for your rating."),
    }


def _chat_page(
    request: HttpRequest,
    chat: Chat,
    *,
    message_form: MessageForm | None = None,
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    snapshot = selectors.chat_snapshot(chat=chat, viewer="resident")
    info = snapshot["chat"]
    shown = [
        {**message, "sent_at": _when(message.get("sent_at"))}
        for message in snapshot["messages"]
    ]
    queued = info["status"] == ChatStatus.QUEUED and info.get("queue_position")
    wait = info.get("estimated_wait_s") or 0
    panel = _is_panel(request)
    closed = info["status"] == ChatStatus.CLOSED
    context = {
        "chat": chat,
        "snapshot": snapshot,
        "info": info,
        "chat_messages": shown,
        "status_label": ChatStatus(info["status"]).label,
        "queued": queued,
        "wait_minutes": max(1, -(-wait // 60)),
        "closed": closed,
        "expired": info.get("transcript_expired"),
        "message_form": message_form or MessageForm(prefix="advice-message"),
        "rating_form": rating_form or RatingForm(prefix="advice-rating"),
        # What `transcript_send` accepts: an ended, unblocked chat with an address.
        "transcript_available": bool(
            closed
            and chat.email
            and not chat.blocked
            and not info.get("transcript_expired")
        ),
        "chat_url": _chat_url(chat.pk),
        "panel": panel,
        "strings": _chat_strings(),
        "strings_id": f"advice-chat-strings-{chat.pk}",
        "snapshot_id": f"advice-chat-snapshot-{chat.pk}",
    }
    template = "advice/chat_panel.html" if panel else "advice/chat_detail.html"
    return _private(render(request, template, context, status=status))


@require_http_methods(["GET"])
def chat_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's chat: messages, status, place in the queue, the forms."""
    return _chat_page(request, _own_chat(request, pk))


def _back(request: HttpRequest, chat: Chat) -> HttpResponse:
    return redirect(_chat_url(chat.pk, panel=_is_panel(request)))


@require_POST
def chat_send(request: HttpRequest, pk: int) -> HttpResponse:
    """A message by form post (the chat without JavaScript)."""
    chat = _own_chat(request, pk)
    form = MessageForm(request.POST, prefix="advice-message")
    if not form.is_valid():
        return _chat_page(request, chat, message_form=form, status=400)
    try:
        chat_services.message_send(chat=chat, text=form.cleaned_data["text"])
    except SERVICE_ERRORS as error:
        form_add_service_error(form, error)
        return _chat_page(request, chat, message_form=form, status=error_status(error))
    return _back(request, chat)


@require_POST
def chat_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    chat = _own_chat(request, pk)
    try:
        chat_services.chat_close(chat=chat)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return _back(request, chat)


@require_POST
def chat_rate(request: HttpRequest, pk: int) -> HttpResponse:
    chat = _own_chat(request, pk)
    form = RatingForm(request.POST, prefix="advice-rating")
    if not form.is_valid():
        return _chat_page(request, chat, rating_form=form, status=400)
    try:
        chat_services.rating_give(
            chat=chat,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except SERVICE_ERRORS as error:
        form_add_service_error(form, error)
        return _chat_page(request, chat, rating_form=form, status=error_status(error))
    messages.success(request, _("Thank you for your rating."))
    return _back(request, chat)


@require_POST
def chat_transcript(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the transcript, only to the address given at the start."""
    chat = _own_chat(request, pk)
    try:
        transcripts.transcript_send(chat=chat)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The transcript is on its way to %(email)s.") % {"email": chat.email},
        )
    return _back(request, chat)
