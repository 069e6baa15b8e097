"""The knowledge base's reads: filters, inflected search, paging, query counts."""

import datetime

import pytest

from core.models import District
from feedback.models import Kind, Status, Visibility
from feedback.selectors import (
    feedback_is_supported_by,
    feedback_kb_item_get,
    feedback_kb_list,
    feedback_kb_merged_target,
    feedback_recently_answered,
)
from tests.factories import CityFactory
from tests.feedback.factories import (
    FeedbackItemFactory,
    FeedbackServiceFactory,
    FeedbackStatusChangeFactory,
    FeedbackSupportFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _at(day: int, month: int = 6) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, tzinfo=UTC)


def _ids(page) -> list[int]:
    return [item.pk for item in page.items]


def test_only_public_items_newest_first(service):
    old = FeedbackItemFactory(service=service, requested_at=_at(1))
    new = FeedbackItemFactory(service=service, requested_at=_at(2))
    FeedbackItemFactory(service=service, visibility=Visibility.PENDING)
    FeedbackItemFactory(service=service, visibility=Visibility.PRIVATE)
    FeedbackItemFactory(service=service, withdrawn_at=_at(3))
    FeedbackItemFactory(service=service, merged_into=new)
    assert _ids(feedback_kb_list()) == [new.pk, old.pk]


def test_filters_by_city_service_kind_district_and_status(city, service):
    district = District.objects.create(city=city, name_fi="Kallio", slug="kallio")
    other_service = FeedbackServiceFactory(city=city)
    other_city_item = FeedbackItemFactory()
    target = FeedbackItemFactory(
        service=service, kind=Kind.QUESTION, district=district, status=Status.DONE
    )
    FeedbackItemFactory(service=other_service, kind=Kind.QUESTION)
    FeedbackItemFactory(service=service, kind=Kind.PRAISE, district=district)
    FeedbackItemFactory(service=service, kind=Kind.QUESTION, status=Status.HANDLING)

    assert other_city_item.pk not in _ids(feedback_kb_list(city=city))
    assert _ids(feedback_kb_list(city=other_city_item.city)) == [other_city_item.pk]
    assert set(_ids(feedback_kb_list(service=other_service))) == {
        i.pk for i in other_service.items.all()
    }
    assert target.pk in _ids(feedback_kb_list(kind=Kind.QUESTION))
    assert len(_ids(feedback_kb_list(district=district))) == 2
    assert _ids(feedback_kb_list(status=Status.DONE)) == [target.pk]
    assert _ids(
        feedback_kb_list(
            service=service, kind=Kind.QUESTION, district=district, status=Status.DONE
        )
    ) == [target.pk]
    # An unknown kind or status is no filter at all (never an error).
    assert len(feedback_kb_list(kind="nonsense", status="x").items) == 5


def test_date_range_includes_both_days(service):
    before = FeedbackItemFactory(service=service, requested_at=_at(9, 5))
    first = FeedbackItemFactory(
        service=service, requested_at=datetime.datetime(2026, 6, 1, 0, 1, tzinfo=UTC)
    )
    last = FeedbackItemFactory(
        service=service,
        requested_at=datetime.datetime(2026, 6, 30, 20, 0, tzinfo=UTC),
    )
    after = FeedbackItemFactory(service=service, requested_at=_at(2, 7))
    found = _ids(
        feedback_kb_list(
            sent_from=datetime.date(2026, 6, 1), sent_to=datetime.date(2026, 6, 30)
        )
    )
    assert found == [last.pk, first.pk]
    assert after.pk in _ids(feedback_kb_list(sent_from=datetime.date(2026, 7, 1)))
    assert _ids(feedback_kb_list(sent_to=datetime.date(2026, 5, 31))) == [before.pk]


def test_search_finds_inflected_finnish(service):
    library = FeedbackItemFactory(
        service=service,
        title="Kirjasto suljettiin",
        public_title="Kirjasto suljettiin",
        description="Ovet olivat kiinni.",
        public_description="Ovet olivat kiinni.",
    )
    FeedbackItemFactory(
        service=service,
        title="Bussi myöhässä",
        public_title="Bussi myöhässä",
        public_description="Linja 55 ei tullut.",
    )
    page = feedback_kb_list(q="kirjastoon", language="fi")
    assert _ids(page) == [library.pk]
    assert page.searched
    assert _ids(feedback_kb_list(q="bussit", language="fi")) != [library.pk]


def test_search_finds_the_answer_and_needs_every_word(service):
    both = FeedbackItemFactory(
        service=service,
        public_title="Kirjaston ovi",
        public_description="Ovi ei aukea",
        requested_at=_at(1),
    )
    one = FeedbackItemFactory(
        service=service,
        public_title="Uimahalli",
        public_description="Kysymys",
        answer="Kirjaston aukioloajat muuttuvat.",
        requested_at=_at(5),
    )
    from feedback.services.common import search_terms_refresh

    search_terms_refresh(one)
    # The answer is searched too (it is public); every word must match.
    assert set(_ids(feedback_kb_list(q="kirjasto"))) == {one.pk, both.pk}
    assert _ids(feedback_kb_list(q="kirjaston ovi")) == [both.pk]


def test_search_never_finds_the_private_original(service):
    FeedbackItemFactory(
        service=service,
        title="Salainen Virtanen",
        description="Matti Virtanen 040 1234567",
        public_title="Kadun valo",
        public_description="Valo ei pala.",
        is_redacted=True,
    )
    assert feedback_kb_list(q="Virtanen").items == []
    assert feedback_kb_list(q="salainen").items == []


def test_search_with_no_words_finds_nothing(service):
    FeedbackItemFactory(service=service)
    page = feedback_kb_list(q="!!! ???")
    assert page.items == [] and page.next_cursor is None


def test_pages_forward_and_back_without_gaps_or_repeats(service):
    same_time = _at(10)
    items = [
        FeedbackItemFactory(service=service, requested_at=same_time) for _ in range(3)
    ]
    items += [
        FeedbackItemFactory(service=service, requested_at=_at(d)) for d in range(1, 5)
    ]
    everything = _ids(feedback_kb_list(page_size=100))
    first = feedback_kb_list(page_size=3)
    assert first.previous_cursor is None and first.next_cursor
    second = feedback_kb_list(page_size=3, after=first.next_cursor)
    third = feedback_kb_list(page_size=3, after=second.next_cursor)
    assert third.next_cursor is None
    assert _ids(first) + _ids(second) + _ids(third) == everything
    back = feedback_kb_list(page_size=3, before=third.previous_cursor)
    assert _ids(back) == _ids(second)
    back_again = feedback_kb_list(page_size=3, before=back.previous_cursor)
    assert _ids(back_again) == _ids(first)
    assert back_again.previous_cursor is None
    assert len(items) == len(everything)


def test_search_results_page_too(service):
    for n in range(5):
        FeedbackItemFactory(
            service=service,
            public_title=f"Kirjasto {n}",
            public_description="kirjasto " * (n + 1),
            requested_at=_at(n + 1),
        )
    everything = _ids(feedback_kb_list(q="kirjasto", page_size=100))
    first = feedback_kb_list(q="kirjasto", page_size=2)
    second = feedback_kb_list(q="kirjasto", page_size=2, after=first.next_cursor)
    third = feedback_kb_list(q="kirjasto", page_size=2, after=second.next_cursor)
    assert _ids(first) + _ids(second) + _ids(third) == everything
    assert len(everything) == 5
    back = feedback_kb_list(q="kirjasto", page_size=2, before=second.previous_cursor)
    assert _ids(back) == _ids(first)


@pytest.mark.parametrize("cursor", ["", "x", "not-a-cursor!", "a" * 600, "WzEsMl0"])
def test_bad_cursors_show_the_first_page(service, cursor):
    item = FeedbackItemFactory(service=service)
    assert _ids(feedback_kb_list(after=cursor, before=cursor)) == [item.pk]


def test_list_is_one_query_whatever_the_rows(service, django_assert_num_queries):
    for _ in range(3):
        FeedbackItemFactory(service=service, answer="Vastaus")
    with django_assert_num_queries(1):
        page = feedback_kb_list(city=service.city)
        for item in page.items:
            assert item.service.name and item.city.name and item.district is None
    for _ in range(20):
        FeedbackItemFactory(service=service)
    with django_assert_num_queries(1):
        page = feedback_kb_list(q="kirjasto", city=service.city)
        for item in page.items:
            assert item.service.name and item.city.name and item.district is None
    assert page.items


def test_one_item_has_public_history_only_and_approved_photos(
    service, django_assert_num_queries
):
    item = FeedbackItemFactory(service=service)
    FeedbackStatusChangeFactory(item=item, note="Julkinen huomio")
    FeedbackStatusChangeFactory(item=item, note="Sisäinen huomio", internal=True)
    with django_assert_num_queries(3):
        found = feedback_kb_item_get(pk=item.pk)
        notes = [change.note for change in found.public_history]
        photos = found.public_photos
        assert found.service.name and found.city.name
    assert notes == ["Julkinen huomio"]
    assert photos == []


def test_one_item_is_none_unless_public(service):
    hidden = FeedbackItemFactory(service=service, visibility=Visibility.PRIVATE)
    withdrawn = FeedbackItemFactory(service=service, withdrawn_at=_at(1))
    assert feedback_kb_item_get(pk=hidden.pk) is None
    assert feedback_kb_item_get(pk=withdrawn.pk) is None
    assert feedback_kb_item_get(pk=999_999) is None


def test_merged_duplicate_points_to_the_one_that_stays(service):
    stays = FeedbackItemFactory(service=service)
    duplicate = FeedbackItemFactory(service=service, merged_into=stays)
    never_public = FeedbackItemFactory(
        service=service, merged_into=stays, visibility=Visibility.PENDING
    )
    assert feedback_kb_merged_target(pk=duplicate.pk) == stays
    assert feedback_kb_merged_target(pk=never_public.pk) is None
    stays.visibility = Visibility.PRIVATE
    stays.save()
    assert feedback_kb_merged_target(pk=duplicate.pk) is None


def test_supported_by(service, resident):
    item = FeedbackItemFactory(service=service)
    assert not feedback_is_supported_by(item=item, user=resident)
    FeedbackSupportFactory(item=item, user=resident)
    assert feedback_is_supported_by(item=item, user=resident)


def test_recently_answered_leaves_out_unanswered_and_hidden(service):
    answered = FeedbackItemFactory(
        service=service, answer="Korjattu", answered_at=_at(3)
    )
    FeedbackItemFactory(service=service)
    FeedbackItemFactory(
        service=service,
        answer="Piilossa",
        answered_at=_at(4),
        visibility=Visibility.PRIVATE,
    )
    assert feedback_recently_answered() == [answered]


def test_other_city_is_its_own(service):
    other = CityFactory()
    assert feedback_kb_list(city=other).items == []
