"""The notification centre, the following page, follow buttons and the signed
unsubscribe link. Thin: every write is a service, every read a selector."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import SERVICE_ERRORS, error_status, error_text
from core.http import return_path, safe_next_url
from core.models import District, Topic
from notifications import mail, registry, selectors, services
from notifications.models import ALL_KINDS, Delivery

MAX_IDS = 100


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    """`/accounts/notifications/`: the person's notifications, newest first."""
    unread_only = request.GET.get("unread") == "1"
    page = selectors.notification_page(
        user=request.user,
        cursor=request.GET.get("after", "")[:200],
        unread_only=unread_only,
    )
    kinds = registry.kinds()
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "items": [
                (note, kinds[note.kind].label if note.kind in kinds else "")
                for note in page.items
            ],
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (`id`) or all of them (no `id`) read."""
    raw = request.POST.getlist("id")[:MAX_IDS]
    ids = [int(value) for value in raw if value.isdigit() and len(value) < 19]
    if raw and not ids:
        messages.error(request, _("That notification was not found."))
    else:
        services.notifications_mark_read(user=request.user, ids=ids or None)
    return redirect(safe_next_url(request, reverse("notifications:centre")))


@login_required
def following(request: HttpRequest) -> HttpResponse:
    """`/accounts/following/`: what the person follows and how they hear of it."""
    return _following_page(request)


def _following_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    chosen = services.delivery_choices(user_ids=[request.user.pk]).get(
        request.user.pk, {}
    )
    kinds = [
        (code, kind.label, services.delivery_of(chosen, code))
        for code, kind in registry.kinds().items()
    ]
    return render(
        request,
        "notifications/following.html",
        {
            "rows": selectors.follow_list(user=request.user),
            "kinds": kinds,
            "all_kinds": chosen.get(ALL_KINDS, ""),
            "deliveries": Delivery.choices,
            "districts": District.objects.select_related("city").order_by(
                "city__slug", "name_fi"
            ),
            "topics": Topic.objects.order_by("name_fi"),
        },
        status=status,
    )


@login_required
@require_POST
def deliveries(request: HttpRequest) -> HttpResponse:
    """Save the delivery chosen for each kind (`delivery-<kind>` fields)."""
    chosen = {
        code: request.POST[f"delivery-{code}"]
        for code in registry.kinds()
        if f"delivery-{code}" in request.POST
    }
    try:
        services.delivery_set(user=request.user, deliveries=chosen)
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
        return _following_page(request, status=error_status(error))
    messages.success(request, _("Your choices are saved."))
    return redirect("notifications:following")


@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow (or, with `stop`, stop following) the object named by `target`
    ("app.model:pk", or a district or topic chosen on the following page)."""
    token = request.POST.get("target", "")
    if token in ("district", "topic"):
        token = f"core.{token}:{request.POST.get(token, '')}"
    target = selectors.follow_target_get(token)
    back = safe_next_url(request, "")
    if not request.user.is_authenticated:
        return redirect_to_login(back or return_path(request))
    if target is None:
        messages.error(request, _("This cannot be followed."))
        return redirect(back or "notifications:following")
    try:
        if request.POST.get("stop"):
            services.follow_delete(user=request.user, target=target)
            messages.success(request, _("You no longer follow this."))
        else:
            services.follow_create(user=request.user, target=target)
            messages.success(
                request,
                _("You follow this: what happens to it reaches your notifications."),
            )
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect(back or "notifications:following")


# The link in an e-mail is its own authority (signed for one person and kind):
# no log-in, and mail clients' one-click POST (RFC 8058) carries no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirmation page (changes nothing). POST: unsubscribe."""
    try:
        user_id, kind = mail.unsubscribe_read(token)
        user = get_user_model().objects.get(pk=user_id, is_active=True)
        label = registry.kind_get(kind).label if kind else ""
    except (signing.BadSignature, get_user_model().DoesNotExist, registry.UnknownKind):
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    done = False
    if request.method == "POST":
        services.unsubscribe(user=user, kind=kind)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "kind_label": label,
            "done": done,
            "email": user.email,
            "site": settings.SITE_URL,
        },
    )
