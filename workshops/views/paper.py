"""Paper and in-person input: the printable kit, entering paper cards, and the
flipchart photos of a board. Facilitators only; every form works without
JavaScript and goes through `workshops.services` (paper, photos)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import SERVICE_ERRORS, error_text, form_add_service_error
from workshops import selectors, services
from workshops.models import BoardPhoto, Color
from workshops.paper_forms import BoardPhotoForm, PaperCardsForm
from workshops.views.common import board_of, facilitated_workshop, join_qr

# Blank cards on each printed sheet of a column: 2 × 3 fit an A4 page.
KIT_CARDS_PER_SHEET = 6


@login_required
def kit(request, pk: int):
    """The printable kit: join sheet, instructions and card sheets per column,
    in the workshop's language (the page around it in the reader's)."""
    workshop = facilitated_workshop(request, pk)
    url, qr = join_qr(request, workshop)
    return render(
        request,
        "workshops/paper/kit.html",
        {
            "workshop": workshop,
            "boards": selectors.kit_boards(workshop=workshop),
            "join_url": url,
            "qr_svg": qr,
            "blank_cards": range(KIT_CARDS_PER_SHEET),
        },
    )


def _kept_fields(form: PaperCardsForm) -> str:
    """What the next batch likely shares (column, meeting, date, language,
    colour), as a query string for the page shown after saving."""
    kept = QueryDict(mutable=True)
    for name in ("column", "meeting", "meeting_on", "language", "color"):
        value = form.cleaned_data.get(name)
        if value:
            kept[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return kept.urlencode()


@login_required
@require_http_methods(["GET", "POST"])
def paper_cards(request, pk: int, board_id: int):
    """Enter paper cards into a column, one per line: preview, then add."""
    workshop = facilitated_workshop(request, pk)
    board = board_of(workshop, board_id)
    board.workshop = workshop
    columns = list(board.columns.all())
    preview = None
    if request.method == "POST":
        form = PaperCardsForm(request.POST, columns=columns)
        if form.is_valid():
            data = form.cleaned_data
            column = next(c for c in columns if c.pk == data["column"])
            try:
                if request.POST.get("action") == "save":
                    cards = services.cards_enter_paper(
                        user=request.user,
                        board=board,
                        column=column,
                        text=data["text"],
                        meeting=data["meeting"],
                        meeting_on=data["meeting_on"],
                        language=data["language"],
                        color=data["color"],
                    )
                    messages.success(
                        request,
                        ngettext(
                            "%(n)d card was added to “%(column)s”.",
                            "%(n)d cards were added to “%(column)s”.",
                            len(cards),
                        )
                        % {"n": len(cards), "column": column.title},
                    )
                    return redirect(f"{request.path}?{_kept_fields(form)}")
                preview = {
                    "column": column,
                    "lines": services.paper_lines(data["text"]),
                }
            except SERVICE_ERRORS as error:
                form_add_service_error(form, error)
    else:
        initial = {"language": workshop.language, "color": Color.YELLOW}
        # Kept from the batch before (`_kept_fields`): the form checks them again.
        initial.update(
            {
                name: request.GET[name][:200]
                for name in ("column", "meeting", "meeting_on", "language", "color")
                if name in request.GET
            }
        )
        form = PaperCardsForm(initial=initial, columns=columns)
    return render(
        request,
        "workshops/paper/paper_cards.html",
        {"workshop": workshop, "board": board, "form": form, "preview": preview},
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_photos(request, pk: int, board_id: int):
    """A board's flipchart photos: upload, and the list to publish or remove."""
    workshop = facilitated_workshop(request, pk)
    board = board_of(workshop, board_id)
    board.workshop = workshop
    form = BoardPhotoForm()
    if request.method == "POST":
        form = BoardPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.board_photo_add(
                    user=request.user,
                    board=board,
                    upload=form.cleaned_data["photo"],
                    caption=form.cleaned_data["caption"],
                )
            except SERVICE_ERRORS as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request, _("The photo was added. Only facilitators see it.")
                )
                return redirect(request.path)
    return render(
        request,
        "workshops/paper/board_photos.html",
        {
            "workshop": workshop,
            "board": board,
            "form": form,
            "photos": selectors.board_photo_list(board=board),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def board_photo_change(request, pk: int, photo_id: int):
    """Publish, unpublish (`action`) or remove one photo; back to the list."""
    workshop = facilitated_workshop(request, pk)
    photo = get_object_or_404(
        BoardPhoto.objects.select_related("board"),
        pk=photo_id,
        board__workshop=workshop,
    )
    photo.board.workshop = workshop
    action = request.POST.get("action")
    try:
        if action in ("publish", "unpublish"):
            services.board_photo_publish(
                user=request.user, photo=photo, published=action == "publish"
            )
            messages.success(
                request,
                _("The photo is published: anyone may see it with the results.")
                if action == "publish"
                else _("The photo is visible to the facilitators only again."),
            )
        elif action == "remove":
            services.board_photo_remove(user=request.user, photo=photo)
            messages.success(request, _("The photo was removed."))
        else:
            messages.error(request, _("Choose an action."))
    except SERVICE_ERRORS as error:
        messages.error(request, error_text(error))
    return redirect(
        reverse("workshops:board_photos", args=[workshop.pk, photo.board_id])
    )
