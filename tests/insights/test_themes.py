"""Insight themes: which texts feed them (and who may see each), recomputation that
keeps staff names, hiding and merges, `themes_for`, the staff pages and the job."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from accounts.services import role_grant
from core.jobs import registered_jobs
from core.text.themes import Grouping
from core.text.themes import Theme as Found
from discussions.models import Comment, CommentStatus, Discussion
from feedback.models import Visibility
from ideas.models import DreamStatus
from insights.models import Scope, Source, Theme, ThemeMember
from insights.themes import selectors, services, sources
from tests.factories import CityFactory, UserFactory
from tests.feedback.factories import FeedbackItemFactory
from tests.ideas.factories import DreamFactory
from workshops import services as workshop_services
from workshops.models import Card, Method

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def comment(city, text, status=CommentStatus.VISIBLE, language="en"):
    discussion, _ = Discussion.objects.get_or_create(
        city=city, target_type="tests.thing", target_key="1"
    )
    return Comment.objects.create(
        discussion=discussion,
        text=text,
        language=language,
        status=status,
        first_published_at=timezone.now() if status == CommentStatus.VISIBLE else None,
    )


@pytest.fixture
def editor(city):
    user = UserFactory()
    role_grant(user=user, city=city, role=Role.EDITOR)
    return user


@pytest.fixture
def workshop(city):
    facilitator = UserFactory()
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    return workshop_services.workshop_create(
        user=facilitator,
        city=city,
        title="Jam",
        starts_at=timezone.now(),
        method=Method.SERVICE_JAM,
    )


def card(workshop, text, hidden=False):
    board = workshop.boards.get()
    return Card.objects.create(
        board=board, column=board.columns.first(), text=text, hidden=hidden
    )


def test_sources_read_each_apps_visibility(city, workshop):
    visible = comment(city, "Night buses please")
    pending = comment(city, "More buses", status=CommentStatus.PENDING)
    comment(city, "Rude words", status=CommentStatus.HIDDEN)
    dream = DreamFactory(city=city, title="Night library")
    DreamFactory(city=city, status=DreamStatus.MERGED, title="Duplicate")
    shown = card(workshop, "Benches")
    card(workshop, "Still secret", hidden=True)
    public = FeedbackItemFactory(service__city=city, title="Door broken")
    private = FeedbackItemFactory(
        service__city=city, title="My own street", visibility=Visibility.PRIVATE
    )
    texts = {
        (t.source, t.object_id): t.is_public
        for t in [
            *sources.comments(city.pk),
            *sources.dreams(city.pk),
            *sources.cards(city.pk),
            *sources.feedback(city.pk),
        ]
    }
    assert texts == {
        (Source.COMMENT, visible.pk): True,
        (Source.COMMENT, pending.pk): False,
        (Source.DREAM, dream.pk): True,
        (Source.CARD, shown.pk): False,  # results not published
        (Source.FEEDBACK, public.pk): True,
        (Source.FEEDBACK, private.pk): False,
    }
    workshop.results_published = True
    workshop.first_published_at = timezone.now()
    workshop.save()
    assert [t.is_public for t in sources.cards(city.pk)] == [True]


class FakeGrouping:
    """Groups by the first word of each text: the matching is what is tested here."""

    def __call__(self, items, themes=None, method=None):
        groups: dict[str, list[str]] = {}
        for ref, _language, text in items:
            groups.setdefault(text.split()[0].lower(), []).append(ref)
        ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
        return Grouping(
            "embeddings",
            [
                Found(n, len(refs), (word,), tuple(refs))
                for n, (word, refs) in enumerate(ordered, start=1)
            ],
        )


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(services, "group_texts", FakeGrouping())


def refresh(city):
    texts = [*sources.comments(city.pk)]
    return services.scope_refresh(city, Scope.ALL, "", texts)


def theme_of(city, word):
    return Theme.objects.get(city=city, words__0=word, merged_into__isnull=True)


def test_names_hiding_and_merges_survive_recomputation(fake, city, editor):
    for n in range(4):
        comment(city, f"Buses {n}")
        comment(city, f"Library {n}")
        comment(city, f"Parks {n}", status=CommentStatus.PENDING)
    assert refresh(city) == 3
    buses, library, parks = (theme_of(city, w) for w in ("buses", "library", "parks"))
    services.theme_rename(theme=buses, label="  Night <b>buses</b> ", by=editor)
    services.theme_set_hidden(theme=library, hidden=True, by=editor)
    services.theme_merge(theme=parks, into=library, by=editor)
    library.refresh_from_db()
    assert library.size == 8 and library.public_size == 4

    # New texts arrive; most stay where they were.
    comment(city, "Buses 9")
    comment(city, "Library 9")
    comment(city, "Schools 1")
    comment(city, "Schools 2")
    assert refresh(city) == 3  # buses, library (+ parks folded back), schools
    buses2 = Theme.objects.get(pk=buses.pk)
    assert buses2.label == "Night <b>buses</b>"  # escaped on output, one clean line
    assert buses2.size == 5
    library2 = Theme.objects.get(pk=library.pk)
    assert library2.hidden and library2.size == 9  # library 5 + parks 4
    assert Theme.objects.get(pk=parks.pk).merged_into_id == library.pk
    schools = theme_of(city, "schools")
    assert schools.pk not in {buses.pk, library.pk, parks.pk}

    public = selectors.themes_for(city.pk)
    assert [(t.id, t.name, t.size) for t in public] == [
        (buses.pk, "Night <b>buses</b>", 5),
        (schools.pk, "schools", 2),
    ]
    staff = selectors.themes_for(city.pk, public_only=False)
    assert [(t.id, t.hidden) for t in staff][0] == (library.pk, True)
    # Public representatives are public texts only (parks are pending comments).
    for view in selectors.themes_for(city.pk):
        for source, object_id, _text in view.representatives:
            assert ThemeMember.objects.filter(
                source=source, object_id=object_id, is_public=True
            ).exists()


def test_vanished_themes_go_and_small_scopes_have_none(fake, city):
    for n in range(4):
        comment(city, f"Buses {n}")
        comment(city, f"Library {n}")
    refresh(city)
    Comment.objects.filter(text__startswith="Library").delete()
    comment(city, "Buses 8")
    comment(city, "Buses 9")
    assert refresh(city) == 1
    assert list(Theme.objects.values_list("words", flat=True)) == [["buses"]]
    Comment.objects.all().delete()
    assert refresh(city) == 0
    assert not Theme.objects.exists() and not ThemeMember.objects.exists()


def test_themes_for_reads_in_fixed_queries(fake, city, django_assert_num_queries):
    for n in range(4):
        comment(city, f"Buses {n}")
        comment(city, f"Library {n}")
        comment(city, f"Parks {n}")
    refresh(city)
    # Themes, their members, the comments' texts.
    with django_assert_num_queries(3):
        assert len(selectors.themes_for(city.pk)) == 3


def test_refresh_command_groups_every_scope_for_real(city, workshop):
    texts = [
        "The night bus should run every half hour on weekends.",
        "Yöbussit kulkevat liian harvoin viikonloppuisin.",
        "Nattbussen går för sällan på helgerna.",
        "The library should stay open longer on Saturdays.",
        "Kirjasto voisi olla auki pidempään lauantaisin.",
        "Biblioteket borde ha öppet längre på lördagar.",
    ]
    for text in texts:
        card(workshop, text)
    out = io.StringIO()
    call_command("refresh_themes", "--city", city.slug, stdout=out)
    assert out.getvalue().startswith(f"{city.slug}: ")
    scopes = set(Theme.objects.values_list("scope", "scope_key"))
    assert scopes == {(Scope.ALL, ""), (Scope.WORKSHOP, str(workshop.pk))}
    assert ThemeMember.objects.filter(theme__scope=Scope.WORKSHOP).count() == 6
    # Unpublished workshop: staff see its themes, the public none.
    assert selectors.themes_for(city.pk, Scope.WORKSHOP, str(workshop.pk)) == []
    staff = selectors.themes_for(
        city.pk, Scope.WORKSHOP, str(workshop.pk), public_only=False
    )
    assert sum(t.size for t in staff) == 6
    with pytest.raises(CommandError, match="No city"):
        call_command("refresh_themes", "--city", "nowhere")
    assert registered_jobs()["refresh_themes"].command == "refresh_themes"


# --- Staff pages ---------------------------------------------------------------------


@pytest.fixture
def themed(fake, city):
    for n in range(4):
        comment(city, f"Buses {n} <script>x</script>")
        comment(city, f"Library {n}")
    refresh(city)
    return theme_of(city, "buses"), theme_of(city, "library")


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_rename_hide_and_merge(
    themed, city, editor, django_assert_num_queries
):
    buses, library = themed
    client = login(editor)
    page_url = reverse("insights:themes_city", kwargs={"slug": city.slug})
    assert client.get(reverse("insights:themes")).url == page_url
    page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Buses 1 &lt;script&gt;" in html and "<script>x" not in html
    edit = reverse("insights:themes_edit", kwargs={"pk": buses.pk})
    response = client.post(
        edit, {"action": "rename", "label": "Buses", "next": page_url}
    )
    assert response.status_code == 302 and response.url == page_url
    client.post(edit, {"action": "hide"})
    buses.refresh_from_db()
    assert (buses.label, buses.hidden) == ("Buses", True)
    client.post(edit, {"action": "merge", "into": library.pk})
    buses.refresh_from_db()
    assert buses.merged_into_id == library.pk
    # A fixed number of queries: session, user, city, roles, scopes, themes,
    # members, texts (one per source), and the site header's five (with the
    # unread notifications' count).
    client.get(page_url)
    with django_assert_num_queries(13):
        client.get(page_url)


def test_bad_edits_are_told_and_change_nothing(themed, city, editor):
    buses, library = themed
    other_city_theme = Theme.objects.create(city=CityFactory(), scope=Scope.ALL)
    client = login(editor)
    edit = reverse("insights:themes_edit", kwargs={"pk": buses.pk})
    for data, message in [
        ({"action": "rename", "label": "x" * 81}, "at most 80"),
        ({"action": "merge", "into": buses.pk}, "another theme"),
        ({"action": "merge", "into": "nope"}, "another theme"),
        ({"action": "merge", "into": other_city_theme.pk}, "editors and moderators"),
        ({"action": "explode"}, "Choose an action"),
    ]:
        response = client.post(edit, data, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode(), data
    buses.refresh_from_db()
    assert (buses.label, buses.hidden, buses.merged_into_id) == ("", False, None)
    evil = client.post(edit, {"action": "hide", "next": "https://evil.example/"})
    assert evil.url.startswith("/")


def test_only_the_citys_editors_and_moderators_get_in(themed, city):
    buses, _library = themed
    page_url = reverse("insights:themes_city", kwargs={"slug": city.slug})
    edit = reverse("insights:themes_edit", kwargs={"pk": buses.pk})
    assert Client().get(page_url).status_code == 302  # to sign in
    facilitator = UserFactory()
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    elsewhere = UserFactory()
    role_grant(user=elsewhere, city=CityFactory(), role=Role.EDITOR)
    for user in (UserFactory(), facilitator, elsewhere):
        client = login(user)
        assert client.get(page_url).status_code == 403
        assert client.post(edit, {"action": "hide"}).status_code == 403
    assert login(UserFactory()).get(reverse("insights:themes")).status_code == 403
    moderator = UserFactory()
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    assert login(moderator).get(page_url).status_code == 200
    buses.refresh_from_db()
    assert not buses.hidden
