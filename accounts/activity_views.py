"""The signed-in person's own activity across the apps (`/accounts/activity/`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.activity import activity_page


@login_required
def activity(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("page", "")
    number = int(raw) if raw.isdigit() and len(raw) < 6 else 1
    page = activity_page(user=request.user, page=number)
    return render(request, "accounts/activity.html", {"page": page})
