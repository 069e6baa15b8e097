"""The person's own activity across the apps (`/accounts/activity/`).

Signed-in people see everything the providers list. A visitor without an
account reaches the page only while this browser remembers something it did
(the follow-up links of feedback sent without an account); otherwise the page
asks them to log in.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.activity import activity_page, session_items


def activity(request: HttpRequest) -> HttpResponse:
    remembered = session_items(request.session)
    if not request.user.is_authenticated:
        if not remembered:
            return redirect_to_login(request.get_full_path())
        return render(
            request, "accounts/activity.html", {"page": None, "remembered": remembered}
        )
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isdigit() and len(raw) < 6 else 1
    page = activity_page(user=request.user, page=number)
    return render(
        request, "accounts/activity.html", {"page": page, "remembered": remembered}
    )
