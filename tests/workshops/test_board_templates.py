"""Board templates: saved from a board, listed per facilitator (shared within the
city), used when creating a workshop, deleted by their author; bad input refused."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from core.errors import Forbidden, Invalid
from tests.factories import CityFactory, UserFactory
from workshops import selectors, services
from workshops.models import BoardTemplate, Method, Phase

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def colleague(city):
    user = UserFactory(display_name="Kollega")
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    return user


@pytest.fixture
def stranger():
    """A facilitator of another city."""
    user = UserFactory()
    role_grant(user=user, city=CityFactory(slug="oulu"), role=Role.FACILITATOR)
    return user


@pytest.fixture
def template(facilitator, workshop, board):
    services.column_rename(
        user=facilitator, column=board.columns.first(), title="Kuka <b>?</b>"
    )
    board.vote_budget = 7
    board.save(update_fields=["vote_budget"])
    board.workshop = workshop
    return services.board_template_save(
        user=facilitator, board=board, name="Oma jami", start_phase=Phase.SILENT
    )


def test_a_board_saved_and_reused_keeps_columns_phase_and_votes(
    template, facilitator, city, board
):
    assert template.columns == [c.title for c in board.columns.all()]
    assert template.columns[0] == "Kuka <b>?</b>"  # as typed
    workshop = services.workshop_create(
        user=facilitator,
        city=city,
        title="Toinen",
        starts_at=timezone.now(),
        method=Method.BRAINSTORMING,
        template=template,
    )
    new_board = workshop.boards.get()
    assert new_board.title == "Oma jami"
    assert [c.title for c in new_board.columns.all()] == template.columns
    assert (new_board.phase, new_board.vote_budget) == (Phase.SILENT, 7)
    assert new_board.cards.count() == 0


def test_shared_within_the_city_private_when_not(
    template, facilitator, colleague, stranger, board, django_assert_max_num_queries
):
    board.workshop.facilitators.add(colleague)
    private = services.board_template_save(
        user=colleague, board=board, name="Vain minulle", shared=False
    )
    with django_assert_max_num_queries(1):
        assert [t.name for t in selectors.board_template_list(user=colleague)] == [
            "Oma jami",
            "Vain minulle",
        ]
    mine = selectors.board_template_list(user=facilitator)
    assert [t.name for t in mine] == ["Oma jami"]
    assert list(selectors.board_template_list(user=stranger)) == []
    with pytest.raises(Forbidden):
        services.workshop_create(
            user=facilitator,
            city=board.workshop.city,
            title="Ei",
            starts_at=timezone.now(),
            template=private,
        )


def test_only_the_author_deletes(template, colleague):
    with pytest.raises(Forbidden):
        services.board_template_delete(user=colleague, template=template)
    response = _client(colleague).post(
        reverse("workshops:template_delete", args=[template.pk])
    )
    assert response.status_code == 302
    assert BoardTemplate.objects.filter(pk=template.pk).exists()
    services.board_template_delete(user=template.created_by, template=template)
    assert not BoardTemplate.objects.exists()


def test_saving_refuses_bad_input_and_other_peoples_boards(
    facilitator, stranger, board
):
    for name in ("", "   ", "\u202e"):
        with pytest.raises(Invalid):
            services.board_template_save(user=facilitator, board=board, name=name)
    with pytest.raises(Invalid):
        services.board_template_save(
            user=facilitator, board=board, name="x", start_phase="party"
        )
    with pytest.raises(Forbidden):
        services.board_template_save(user=stranger, board=board, name="Varastettu")
    assert not BoardTemplate.objects.exists()


def test_pages_save_list_and_create_from_a_template(facilitator, workshop, board):
    client = _client(facilitator)
    columns_page = reverse("workshops:board_columns", args=[workshop.pk, board.pk])
    assert "template-name" in client.get(columns_page).content.decode()
    save = reverse("workshops:template_save", args=[workshop.pk, board.pk])
    response = client.post(save, {"template-name": "", "template-start_phase": "open"})
    assert response["Location"] == columns_page
    client.post(save, {"template-name": "x", "template-start_phase": "nope"})
    assert not BoardTemplate.objects.exists()
    response = client.post(
        save, {"template-name": "Jami <script>", "template-start_phase": "open"}
    )
    assert response["Location"] == reverse("workshops:templates")
    template = BoardTemplate.objects.get()
    listing = client.get(reverse("workshops:templates")).content.decode()
    assert "Jami &lt;script&gt;" in listing and "Jami <script>" not in listing
    form = client.get(reverse("workshops:create")).content.decode()
    assert f'<option value="{template.pk}">' in form
    response = client.post(
        reverse("workshops:create"),
        {
            "title": "Pohjasta",
            "city": workshop.city.pk,
            "starts_at": "2030-01-01T10:00",
            "language": "fi",
            "method": "brainstorming",
            "template": str(template.pk),
        },
    )
    assert response.status_code == 302
    created = board.workshop.__class__.objects.get(title="Pohjasta").boards.get()
    assert created.title == "Jami <script>"
    # An unknown template id: a form error, nothing created, not a 500.
    response = client.post(
        reverse("workshops:create"),
        {
            "title": "Tuntematon",
            "city": workshop.city.pk,
            "starts_at": "2030-01-01T10:00",
            "language": "fi",
            "method": "brainstorming",
            "template": "999999",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not board.workshop.__class__.objects.filter(title="Tuntematon").exists()


def test_templates_page_is_for_facilitators(client, stranger):
    plain = UserFactory()
    assert _client(plain).get(reverse("workshops:templates")).status_code == 403
    assert _client(stranger).get(reverse("workshops:templates")).status_code == 200
