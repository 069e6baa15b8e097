"""The advisors' desk (`/advice/desk/`) and the supervisors' view.

Everything here works by form posts and reloads; the desk's module
(`static/js/advice/desk.js`) makes the queue and the open chat live over
`ws/advice/desk/`. Every decision is a rule of `advice/rules.py`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from advice import selectors
from advice.forms import (
    ANY_CITY,
    KnowledgeSearchForm,
    MessageForm,
    NoteForm,
    StatusForm,
    TransferForm,
)
from advice.languages import LANGUAGE_NAMES, language_name
from advice.models import (
    AdvisorLanguage,
    AdvisorProfile,
    CannedAnswer,
    Chat,
    ChatStatus,
)
from advice.rules import advisor_profile, supervisor_city_ids
from advice.services import chats as chat_services
from advice.services import desk as desk_services
from advice.views.resident import _when
from core.errors import SERVICE_ERRORS, error_text
from core.http import return_path
from core.models import City
from feedback.selectors import feedback_kb_list

KB_RESULTS = 5


def desk_view(rule: str = "advice.use_desk"):
    """Decorator: login for the desk's pages, then `rule`."""

    def decorate(view):
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(return_path(request))
            if not request.user.has_perm(rule):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate


def _optional_url(name: str, *args) -> str | None:
    """The address of a desk page that advops' URLs add (publishing, offline
    questions), or None while they are not installed."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


def _profile_or_403(request: HttpRequest) -> AdvisorProfile:
    profile = advisor_profile(request.user)
    if profile is None:
        raise PermissionDenied
    return profile


def _held_chats(profile: AdvisorProfile | None) -> list[Chat]:
    if profile is None:
        return []
    return list(
        Chat.objects.filter(advisor=profile, status=ChatStatus.ACTIVE)
        .select_related("topic", "city")
        .order_by("accepted_at", "pk")
    )


def _queue_rows(profile: AdvisorProfile | None) -> list[dict]:
    if profile is None:
        return []
    cities = {c.pk: c.name for c in City.objects.all()}
    rows = selectors.queue_for(profile)
    heads: set[tuple] = set()
    for row in rows:
        queue = (row["city"], row["language"])
        row["head"] = queue not in heads
        heads.add(queue)
        row["city_name"] = cities.get(row["city"], _("Any city"))
        row["language_name"] = language_name(row["language"])
        row["waiting_min"] = row["waiting_s"] // 60
    return rows


def _desk_context(request: HttpRequest, profile: AdvisorProfile | None) -> dict:
    held = _held_chats(profile)
    return {
        "profile": profile,
        "status_form": StatusForm(initial={"status": profile.status})
        if profile
        else None,
        "queue": _queue_rows(profile),
        "held": held,
        "held_seqs": {chat.pk: chat.seq for chat in held},
        "offline_url": _optional_url("advice:offline_list"),
        "may_supervise": request.user.has_perm("advice.supervise"),
        "desk_strings": {
            "live": pgettext("desk connection", "Live"),
            "reconnecting": _("Connection lost; reconnecting…"),
            "ended": _("The live connection has ended. Reload the page."),
            "accept": _("Accept"),
            "acceptNext": _("Accept the next"),
            "chatLabel": _("chat %(id)s"),
            "anyCity": _("Any city"),
            "minutes": _("%(n)s min"),
            "empty": _("Nobody is waiting."),
            "newMessage": _("New message in chat %(id)s"),
            "queueChanged": _("The queue changed: %(n)s waiting."),
            "insert": _("Insert a link"),
            "noResults": _("Nothing found."),
            "you": _("Resident"),
            "advisor": _("Advisor"),
            "system": _("Advice desk"),
        },
        "city_names": {c.pk: c.name for c in City.objects.all()},
        "language_names": LANGUAGE_NAMES,
    }


@require_GET
@desk_view()
def desk(request: HttpRequest) -> HttpResponse:
    """The desk: status, the queue of the advisor's cities and languages, held chats."""
    profile = advisor_profile(request.user)
    return render(request, "advice/desk.html", _desk_context(request, profile))


@require_POST
@desk_view()
def desk_status(request: HttpRequest) -> HttpResponse:
    profile = _profile_or_403(request)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose available or away."))
        return redirect("advice:desk")
    try:
        desk_services.advisor_status_set(
            advisor=profile, status=form.cleaned_data["status"]
        )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect("advice:desk")


def _chat_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@require_POST
@desk_view()
def desk_accept(request: HttpRequest) -> HttpResponse:
    """Accept a chat from the queue (the head of a queue, or any)."""
    profile = _profile_or_403(request)
    pk = _chat_id(request.POST.get("chat", ""))
    if pk is None:
        messages.error(request, _("That chat is no longer in the queue."))
        return redirect("advice:desk")
    try:
        desk_services.chat_accept(advisor=profile, chat_id=pk)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return redirect("advice:desk")
    return redirect("advice:desk_chat", pk=pk)


def _desk_chat_or_404(request: HttpRequest, pk: int) -> Chat:
    """A chat this advisor holds, or held (read only); 404 for any other."""
    chat = Chat.objects.select_related("topic", "city").filter(pk=pk).first()
    if chat is None:
        raise Http404
    if not (
        request.user.has_perm("advice.hold_chat", chat)
        or request.user.has_perm("advice.publish_answer", chat)
    ):
        raise Http404
    return chat


def _canned(chat: Chat) -> list[CannedAnswer]:
    return list(
        CannedAnswer.objects.filter(language=chat.language).filter(
            Q(city__isnull=True) | Q(city_id=chat.city_id)
        )
    )


def _transfer_form(request: HttpRequest, chat: Chat, data=None) -> TransferForm:
    profile = advisor_profile(request.user)
    advisors = (
        AdvisorProfile.objects.filter(languages__language=chat.language)
        .exclude(pk=profile.pk if profile else None)
        .order_by("display_name")
        .values_list("pk", "display_name")
        .distinct()
    )
    languages = sorted(
        set(AdvisorLanguage.objects.values_list("language", flat=True).distinct())
    )
    return TransferForm(
        data,
        prefix="transfer",
        advisors=list(advisors),
        cities=list(City.objects.all()),
        languages=languages,
    )


def _desk_chat_page(
    request: HttpRequest,
    chat: Chat,
    *,
    message_form: MessageForm | None = None,
    note_form: NoteForm | None = None,
    transfer_form: TransferForm | None = None,
    status: int = 200,
) -> HttpResponse:
    profile = advisor_profile(request.user)
    snapshot = selectors.chat_snapshot(chat=chat, viewer="advisor")
    kb_form = KnowledgeSearchForm(request.GET or None)
    kb_results = None
    if kb_form.is_bound and kb_form.is_valid():
        kb_results = feedback_kb_list(
            q=kb_form.cleaned_data["q"], page_size=KB_RESULTS, language=chat.language
        ).items
    context = _desk_context(request, profile)
    context.update(
        {
            "chat": chat,
            "snapshot": snapshot,
            "info": snapshot["chat"],
            "chat_messages": [
                {**m, "sent_at": _when(m.get("sent_at"))} for m in snapshot["messages"]
            ],
            "notes": [
                {**n, "created_at": _when(n.get("created_at"))}
                for n in snapshot.get("notes", [])
            ],
            "holding": request.user.has_perm("advice.hold_chat", chat),
            "language_name": language_name(chat.language),
            "canned": _canned(chat),
            "message_form": message_form or MessageForm(prefix="desk-message"),
            "note_form": note_form or NoteForm(prefix="note"),
            "transfer_form": transfer_form or _transfer_form(request, chat),
            "kb_form": kb_form,
            "kb_results": kb_results,
            "publish_url": _optional_url("advice:publish", chat.pk),
        }
    )
    return render(request, "advice/desk_chat.html", context, status=status)


@require_GET
@desk_view()
def desk_chat(request: HttpRequest, pk: int) -> HttpResponse:
    """One chat at the desk: messages, composer, canned answers, KB, notes, actions."""
    return _desk_chat_page(request, _desk_chat_or_404(request, pk))


def _held_or_404(request: HttpRequest, pk: int) -> tuple[Chat, AdvisorProfile]:
    chat = _desk_chat_or_404(request, pk)
    return chat, _profile_or_403(request)


@require_POST
@desk_view()
def desk_send(request: HttpRequest, pk: int) -> HttpResponse:
    chat, profile = _held_or_404(request, pk)
    form = MessageForm(request.POST, prefix="desk-message")
    canned = _chat_id(request.POST.get("canned", ""))
    if canned:
        # A canned answer sent as it is (the desk without JavaScript).
        answer = next((a for a in _canned(chat) if a.pk == canned), None)
        if answer is None:
            raise Http404
        form = MessageForm({"desk-message-text": answer.text}, prefix="desk-message")
    if not form.is_valid():
        return _desk_chat_page(request, chat, message_form=form, status=400)
    try:
        chat_services.message_send(
            chat=chat, text=form.cleaned_data["text"], advisor=profile
        )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect("advice:desk_chat", pk=chat.pk)


@require_POST
@desk_view()
def desk_note(request: HttpRequest, pk: int) -> HttpResponse:
    chat, profile = _held_or_404(request, pk)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _desk_chat_page(request, chat, note_form=form, status=400)
    try:
        desk_services.note_add(
            chat_id=chat.pk, advisor=profile, text=form.cleaned_data["text"]
        )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect("advice:desk_chat", pk=chat.pk)


@require_POST
@desk_view()
def desk_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    chat, profile = _held_or_404(request, pk)
    form = _transfer_form(request, chat, request.POST)
    if not form.is_valid():
        return _desk_chat_page(request, chat, transfer_form=form, status=400)
    data = form.cleaned_data
    city = data["city"]
    kwargs = {}
    if city:
        kwargs["city"] = None if city == ANY_CITY else form.cities[city].pk
    if data["language"]:
        kwargs["language"] = data["language"]
    try:
        desk_services.chat_transfer(
            chat_id=chat.pk, advisor=profile, to=data["to"], note=data["note"], **kwargs
        )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return redirect("advice:desk_chat", pk=chat.pk)
    messages.success(request, _("The chat was transferred."))
    return redirect("advice:desk")


@require_POST
@desk_view()
def desk_close(request: HttpRequest, pk: int) -> HttpResponse:
    chat, profile = _held_or_404(request, pk)
    try:
        desk_services.desk_close(chat_id=chat.pk, advisor=profile)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return redirect("advice:desk_chat", pk=chat.pk)
    messages.success(request, _("The chat was closed."))
    return redirect("advice:desk")


@require_POST
@desk_view()
def desk_block(request: HttpRequest, pk: int) -> HttpResponse:
    chat, profile = _held_or_404(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(
            request, _("Tick the box to confirm ending and blocking the chat.")
        )
        return redirect("advice:desk_chat", pk=chat.pk)
    try:
        desk_services.chat_block(chat_id=chat.pk, advisor=profile)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return redirect("advice:desk_chat", pk=chat.pk)
    messages.success(request, _("The chat was ended and blocked."))
    return redirect("advice:desk")


@require_GET
@desk_view()
def desk_kb(request: HttpRequest) -> HttpResponse:
    """Knowledge-base search for the desk's module: titles and addresses as JSON."""
    form = KnowledgeSearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"results": []}, status=400)
    items = feedback_kb_list(q=form.cleaned_data["q"], page_size=KB_RESULTS).items
    return JsonResponse(
        {
            "results": [
                {
                    "title": item.public_title,
                    "url": request.build_absolute_uri(
                        reverse("feedback:item", kwargs={"pk": item.pk})
                    ),
                }
                for item in items
            ]
        }
    )


@require_GET
@desk_view("advice.supervise")
def supervisor(request: HttpRequest) -> HttpResponse:
    """Queues and waiting times per city and language, for supervisors."""
    cities = supervisor_city_ids(request.user)
    names = {c.pk: c.name for c in City.objects.all()}
    queues: dict[tuple, dict] = {}
    now = timezone.now()
    # "Any city" chats wait for every city's advisors: every supervisor sees them.
    waiting = [
        selectors.queue_item(chat, now=now)
        for chat in selectors.queued_chats()
        if chat.city_id is None or chat.city_id in cities
    ]
    for row in waiting:
        key = (row["city"], row["language"])
        entry = queues.setdefault(
            key,
            {
                "city": names.get(row["city"], _("Any city")),
                "language": language_name(row["language"]),
                "waiting": 0,
                "longest_s": 0,
            },
        )
        entry["waiting"] += 1
        entry["longest_s"] = max(entry["longest_s"], row["waiting_s"])
    rows = sorted(queues.values(), key=lambda r: (r["city"], r["language"]))
    for row in rows:
        row["longest_min"] = row["longest_s"] // 60
    return render(
        request,
        "advice/supervisor.html",
        {
            "rows": rows,
            "supervised": sorted(cities),
            "city_names": names,
            "language_names": LANGUAGE_NAMES,
            "supervisor_strings": {
                "live": pgettext("desk connection", "Live"),
                "reconnecting": _("Connection lost; reconnecting…"),
                "anyCity": _("Any city"),
                "empty": _("Nobody is waiting."),
            },
        },
    )
