"""The search page and the editors' list of queries that found nothing.

Thin views over `search.selectors` and `search.services`; the search works
without JavaScript and answers every query string (however long, malformed or
past the last page) with a page, never an error."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import rules
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.errors import RateLimited, error_status, error_text
from core.ratelimit import check_rate, client_ip
from core.text.analysis import MAX_QUERY_WORDS, language_of, words
from search import selectors, services
from search.forms import QUERY_MAX_LENGTH, SearchForm, page_number
from search.selectors import ResultPage

ZERO_RESULT_DAYS = 30


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    text, filters, city = form.search() if form.is_bound else ("", None, None)
    page_asked = page_number(request.GET.get("page"))
    language = language_of(get_language())
    result, refused, status = ResultPage(page=page_asked), "", 200
    if text.strip() and filters is not None:
        limit, window = settings.SEARCH_RATE_LIMIT
        try:
            check_rate(
                f"search:ip:{client_ip(request)}", limit=limit, window_seconds=window
            )
        except RateLimited as error:
            refused, status = error_text(error), error_status(error)
        else:
            result = selectors.search_page(
                text=text, language=language, filters=filters, page=page_asked
            )
            if result.total == 0 and page_asked == 1 and not form.is_filtered:
                services.zero_result_record(text=text, language=language, city=city)
    raw = request.GET.get("q", "")
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "text": text,
            "result": result,
            "refused": refused,
            "searched": bool(text.strip()) and not refused,
            "query_cut": len(raw) > QUERY_MAX_LENGTH
            or len(set(words(text))) > MAX_QUERY_WORDS,
            "max_query_words": MAX_QUERY_WORDS,
            "words_query": urlencode({"q": text}),
            "previous_query": _page_query(request, result.page - 1)
            if result.has_previous
            else None,
            "next_query": _page_query(request, result.page + 1)
            if result.has_next
            else None,
        },
        status=status,
    )


def _page_query(request: HttpRequest, page: int) -> str:
    params = [(key, value) for key, value in request.GET.lists() if key != "page"]
    flat = [(key, item) for key, values in params for item in values]
    if page > 1:
        flat.append(("page", str(page)))
    return urlencode(flat)


@require_GET
def zero_results(request: HttpRequest) -> HttpResponse:
    """The most frequent queries that found nothing in the last 30 days (for
    editors: what residents look for and do not find)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.test_rule("search.view_zero_results", request.user):
        raise PermissionDenied
    since = timezone.localdate() - datetime.timedelta(days=ZERO_RESULT_DAYS)
    rows = selectors.zero_result_list(since=since)
    return render(
        request,
        "search/zero_results.html",
        {"rows": rows, "days": ZERO_RESULT_DAYS},
    )
