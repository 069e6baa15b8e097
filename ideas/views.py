"""Thin views over ideas.services and ideas.selectors. Every form works without JS."""

import rules
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.actors import actor_from_request
from core.errors import (
    SERVICE_ERRORS,
    error_status,
    error_text,
    form_add_service_error,
)
from core.http import safe_next_url
from core.models import City, Topic
from core.ratelimit import client_ip, limit_exceeded
from core.text.fields import current_text_language
from discussions.context import discussion_context
from ideas import selectors, services
from ideas.forms import DreamFilterForm, DreamForm
from ideas.models import DreamStatus
from ideas.rules import (
    anonymous_allowed,
    anonymous_allowed_somewhere,
    anonymous_cities,
    is_dream_author,
)

SIMILAR_REQUESTS_PER_MINUTE = 120


@require_GET
def dream_list(request: HttpRequest) -> HttpResponse:
    form = DreamFilterForm(
        request.GET or None,
        cities=list(City.objects.all()),
        topics=list(Topic.objects.all()),
    )
    # Unknown values of one filter are dropped; the valid filters still apply.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    page = selectors.dream_list(
        city=filters.get("city"),
        district=filters.get("district"),
        topic=filters.get("topic"),
        target_group=filters.get("target_group", ""),
        status=filters.get("status", ""),
        q=filters.get("q", ""),
        sort=filters.get("sort") or "supported",
        cursor=request.GET.get("cursor", "")[:200],
    )
    next_query = None
    if page.next_cursor:
        params = request.GET.copy()
        params["cursor"] = page.next_cursor
        next_query = params.urlencode()
    return render(
        request,
        "ideas/dream_list.html",
        {
            "form": form,
            "dreams": page.dreams,
            "next_query": next_query,
            "is_first_page": not request.GET.get("cursor"),
        },
    )


def _dream_form_context(request, form, **extra):
    if form.is_bound:
        form.tie_errors()
    return {
        "form": form,
        # Told before writing: where a visitor may tell a dream without an account.
        "anonymous_cities": list(anonymous_cities()) if form.anonymous else [],
        "similar_url": reverse("ideas:dream_similar"),
        "similar_labels": {
            "supports": _("supports"),
            "found": _("Similar dreams found: %(count)s"),
            "none": _("No similar dreams found."),
        },
        **extra,
    }


@require_http_methods(["GET", "POST"])
def dream_new(request: HttpRequest) -> HttpResponse:
    anonymous = not request.user.is_authenticated
    if anonymous and not anonymous_allowed_somewhere():
        return render(request, "ideas/dream_login_needed.html", status=200)
    if anonymous and request.method == "GET":
        # Coming from a city that takes no anonymous dreams: say so first.
        city = City.objects.filter(slug=request.GET.get("city", "")[:60]).first()
        if city is not None and not anonymous_allowed(city):
            return render(request, "ideas/dream_login_needed.html", {"city": city})
    if request.method == "GET":
        form = DreamForm(
            anonymous=anonymous,
            initial={
                "language": current_text_language(),
                "city": request.GET.get("city", "")[:60] or None,
            },
        )
        return render(
            request, "ideas/dream_form.html", _dream_form_context(request, form)
        )

    form = DreamForm(request.POST, anonymous=anonymous)
    if not form.is_valid():
        return render(
            request,
            "ideas/dream_form.html",
            _dream_form_context(request, form),
            status=400,
        )
    data = form.cleaned_data
    if not data.get("confirmed") and not data.get("similar_seen"):
        similar = selectors.similar_dreams(
            data["title"],
            data["description"],
            city=data.get("city"),
            language=data.get("language") or None,
        )
        if similar:
            return render(
                request,
                "ideas/dream_confirm.html",
                {"form": form, "similar": similar},
            )
    participant = actor_from_request(request, create_key=anonymous)
    try:
        dream = services.dream_create(
            title=data["title"],
            description=data["description"],
            target_group=data["target_group"],
            what_would_change=data.get("what_would_change", ""),
            city=data.get("city"),
            district=data.get("district"),
            topics=data.get("topics") or [],
            language=data.get("language") or None,
            author=request.user if not anonymous else None,
            nickname=data.get("nickname", ""),
            anonymous_key=participant.anonymous_key,
            ip=client_ip(request),
        )
    except SERVICE_ERRORS as error:
        form_add_service_error(form, error)
        return render(
            request,
            "ideas/dream_form.html",
            _dream_form_context(request, form),
            status=error_status(error),
        )
    messages.success(request, _("Thank you! Your dream is now public."))
    return redirect(dream)


@require_GET
def dream_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dream = selectors.dream_get(pk=pk)
    if dream is None:
        raise Http404
    if dream.status == DreamStatus.MERGED and dream.merged_into_id:
        messages.info(
            request,
            _("“%(title)s” was merged into this dream, with its supports.")
            % {"title": dream.title},
        )
        return redirect(dream.merged_into)
    return _detail_page(request, dream)


def _detail_page(request: HttpRequest, dream, *, status: int = 200) -> HttpResponse:
    """The dream's page (also shown, with the reason, when an action is refused)."""
    participant = actor_from_request(request)
    supported = selectors.dream_is_supported_by(
        dream=dream, user=participant.user, anonymous_key=participant.anonymous_key
    )
    # A read: the thread was made with the dream; without one the page shows no
    # comments rather than writing on GET.
    discussion = selectors.dream_discussion_get(dream=dream)
    # After a refused POST, links back (log in, comment) go to the page itself.
    page_path = (
        request.get_full_path() if request.method == "GET" else dream.get_absolute_url()
    )
    context = discussion_context(request, discussion) if discussion else {}
    if context:
        context["next_url"] = page_path
    return render(
        request,
        "ideas/dream_detail.html",
        {
            "dream": dream,
            "supported": supported,
            "is_own": is_dream_author(participant, dream),
            "can_support_here": rules.has_perm(
                "ideas.support_dream", participant, dream
            ),
            "page_path": page_path,
            **context,
        },
        status=status,
    )


def _back_to(request: HttpRequest, dream_pk: int):
    return redirect(
        safe_next_url(request, reverse("ideas:dream_detail", args=[dream_pk]))
    )


@require_POST
def dream_support(request: HttpRequest, pk: int) -> HttpResponse:
    dream = selectors.dream_get(pk=pk)
    if dream is None:
        raise Http404
    participant = actor_from_request(request, create_key=True)
    try:
        added = services.dream_support(
            dream=dream, participant=participant, ip=client_ip(request)
        )
    except SERVICE_ERRORS as error:
        # The page again with the reason, answering 403 / 400 / 409 / 429.
        messages.error(request, error_text(error))
        return _detail_page(request, dream, status=error_status(error))
    if added:
        messages.success(request, _("Thank you for your support!"))
    else:
        messages.info(request, _("You already support this dream."))
    return _back_to(request, pk)


@require_POST
def dream_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    dream = selectors.dream_get(pk=pk)
    if dream is None:
        raise Http404
    if services.dream_support_withdraw(
        dream=dream, participant=actor_from_request(request)
    ):
        messages.success(request, _("Your support was withdrawn."))
    return _back_to(request, pk)


@require_GET
def dream_similar(request: HttpRequest) -> JsonResponse:
    """JSON for the form's script: the five dreams most like the text so far."""
    if limit_exceeded(
        f"dream-similar-ip:{client_ip(request)}",
        limit=SIMILAR_REQUESTS_PER_MINUTE,
        window_seconds=60,
    ):
        return JsonResponse({"error": "rate_limited", "results": []}, status=429)
    title = request.GET.get("title", "")[:300]
    description = request.GET.get("description", "")[:2000]
    city = None
    city_slug = request.GET.get("city", "")[:60]
    if city_slug:
        city = City.objects.filter(slug=city_slug).first()
    dreams = selectors.similar_dreams(title, description, city=city)
    return JsonResponse(
        {
            "results": [
                {
                    "id": dream.pk,
                    "title": dream.title,
                    "language": dream.language,
                    "url": dream.get_absolute_url(),
                    "support_count": dream.support_count,
                    "status": dream.status,
                    "status_label": str(DreamStatus(dream.status).label),
                    "city": dream.city.name if dream.city else _("All cities"),
                }
                for dream in dreams
            ]
        }
    )


@require_GET
def dream_opportunities(request: HttpRequest) -> HttpResponse:
    city_slug = request.GET.get("city", "")[:60]
    cities = list(City.objects.all())
    city = next((c for c in cities if c.slug == city_slug), None)
    return render(
        request,
        "ideas/dream_opportunities.html",
        {
            "opportunities": selectors.dream_opportunities(city=city),
            "cities": cities,
            "city": city,
        },
    )
