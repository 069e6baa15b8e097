"""Service dreams and cards: place dreams onto a board, turn a card into a dream."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.errors import SERVICE_ERRORS, form_add_service_error
from core.http import safe_next_url
from workshops import selectors, services
from workshops.forms import CardDreamForm, PlaceDreamsForm
from workshops.models import Card
from workshops.views.common import board_of, dream_rate_limited, facilitated_workshop

# --- Service dreams and cards ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def board_dreams(request, pk: int, board_id: int):
    """Choose service dreams and place them onto a column of the board as cards."""
    workshop = facilitated_workshop(request, pk)
    board = board_of(workshop, board_id)
    board.workshop = workshop
    columns = list(board.columns.all())
    form = PlaceDreamsForm(request.POST or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        if dream_rate_limited(request):
            form.add_error(None, _("Too many changes in a short time. Try later."))
        else:
            column = next(c for c in columns if c.pk == form.cleaned_data["column"])
            # In the order they were listed (and ticked), not the queryset's.
            posted = request.POST.getlist("dreams")
            dreams = sorted(
                form.cleaned_data["dreams"], key=lambda d: posted.index(str(d.pk))
            )
            try:
                cards = services.cards_place_dreams(
                    board=board, column=column, dreams=dreams, by=request.user
                )
            except SERVICE_ERRORS as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d dream was placed in “%(column)s”.",
                        "%(n)d dreams were placed in “%(column)s”.",
                        len(cards),
                    )
                    % {"n": len(cards), "column": column.title},
                )
                return redirect("workshops:board", pk=workshop.pk, board_id=board.pk)
    q = request.GET.get("q", "")[:200]
    page = selectors.dream_choices(
        board=board, q=q, cursor=request.GET.get("cursor", "")[:200]
    )
    chosen = set(request.POST.getlist("dreams"))
    return render(
        request,
        "workshops/board_dreams.html",
        {
            "workshop": workshop,
            "board": board,
            "columns": columns,
            "form": form,
            "page": page,
            "q": q,
            "chosen": chosen,
            "chosen_column": str(form["column"].value() or ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_dream(request, pk: int, card_id: int):
    """Turn a card into a service dream (facilitators; once per card)."""
    workshop = facilitated_workshop(request, pk)
    card = get_object_or_404(
        Card.objects.select_related("board", "column"),
        pk=card_id,
        board__workshop=workshop,
    )
    card.board.workshop = workshop  # the rules read it through the card
    back = safe_next_url(request, reverse("workshops:results", args=[workshop.pk]))
    initial = {
        "title": services.dream_title_from_card(card.text),
        "description": card.text,
        "city": str(workshop.city_id),
        "language": workshop.language,
    }
    form = CardDreamForm(request.POST or None, workshop=workshop, initial=initial)
    if request.method == "POST" and card.became_dream_id is not None:
        form.is_valid()  # bound either way; the service would refuse too
        already = _("This card already became dream #%(n)d.")
        form.add_error(None, already % {"n": card.became_dream_id})
    elif request.method == "POST" and form.is_valid():
        if dream_rate_limited(request):
            form.add_error(None, _("Too many changes in a short time. Try later."))
        else:
            try:
                dream = services.card_dream_create(
                    workshop=workshop, card=card, by=request.user, **form.cleaned_data
                )
            except SERVICE_ERRORS as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The card became dream #%(n)d: “%(title)s”.")
                    % {"n": dream.pk, "title": dream.title},
                )
                return redirect(back)
    return render(
        request,
        "workshops/card_dream.html",
        {"workshop": workshop, "card": card, "form": form, "back": back},
    )
