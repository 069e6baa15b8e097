"""Sign-up, profile, consents, background details and account deletion."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts import services
from accounts.models import (
    BackgroundDetails,
    Consent,
    ConsentPurpose,
    Role,
    User,
)
from core.errors import Invalid
from tests.accounts.factories import BackgroundDetailsFactory, ConsentFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _signup(**overrides):
    data = {
        "email": "Aino@Example.org",
        "display_name": "Aino <script>alert(1)</script>",
        "password": "correct horse battery",
        "preferred_language": "sv",
    }
    data.update(overrides)
    return services.user_signup(**data)


def test_signup_creates_a_person_with_clean_name_and_lowercase_email():
    user = _signup()
    assert user.email == "aino@example.org"
    assert user.display_name == "Aino <script>alert(1)</script>"  # as typed (#12)
    assert user.preferred_language == "sv"
    assert user.check_password("correct horse battery")
    assert not user.is_staff and not user.is_superuser


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "123"}, "password1"),
        ({"password": "password"}, "password1"),
        ({"display_name": " \u202e\x00 "}, "display_name"),
        ({"display_name": "x" * 61}, "display_name"),
        ({"preferred_language": "de"}, "preferred_language"),
        ({"email": ""}, "email"),
    ],
)
def test_signup_refuses_bad_input_and_writes_nothing(overrides, field):
    with pytest.raises(ValidationError) as info:
        _signup(**overrides)
    assert field in info.value.message_dict
    assert not User.objects.exists()


def test_signup_refuses_an_address_in_use_whatever_its_case():
    UserFactory(email="aino@example.org")
    with pytest.raises(ValidationError) as info:
        _signup(email="AINO@example.ORG")
    assert "email" in info.value.message_dict
    assert User.objects.count() == 1


def test_profile_update_cleans_and_validates():
    user = UserFactory()
    services.profile_update(
        user=user, display_name="  Matti <i>M</i> ", preferred_language="en"
    )
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language) == ("Matti <i>M</i>", "en")
    with pytest.raises(ValidationError):
        services.profile_update(user=user, display_name="Ok", preferred_language="xx")
    user.refresh_from_db()
    assert user.display_name == "Matti <i>M</i>"


# --- consents ----------------------------------------------------------------


def test_consent_give_is_recorded_once_while_active():
    user = UserFactory()
    first = services.consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
    again = services.consent_give(user=user, purpose="age_band")
    assert first.pk == again.pk
    assert first.is_active and first.given_at is not None
    assert user.consents.count() == 1


def test_consent_give_refuses_unknown_purpose():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.consent_give(user=user, purpose="marketing")
    assert not Consent.objects.exists()


def test_background_update_refused_without_consent_and_nothing_written(kallio):
    user = UserFactory()
    services.consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
    with pytest.raises(Invalid) as info, translation.override("en"):
        services.background_update(user=user, age_band="30_44", home_district=kallio)
    assert info.value.field == "home_district"
    assert info.value.code == "no_consent"
    assert "consent" in info.value.message_dict["home_district"][0]
    # The consented detail in the same call was not stored either.
    assert not BackgroundDetails.objects.filter(user=user).exists()


def test_background_update_stores_consented_details(kallio):
    user = UserFactory()
    services.consent_give(user=user, purpose=ConsentPurpose.HOME_DISTRICT)
    services.consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
    background = services.background_update(
        user=user, home_district=str(kallio.pk), age_band="65_74"
    )
    background.refresh_from_db()
    assert background.home_district == kallio
    assert background.age_band == "65_74"
    assert background.first_language == ""
    assert background.gender == ""


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"age_band": "ancient"}, "age_band"),
        # Free text is no longer a district; only a District (or its id) is.
        ({"home_district": "Kallio"}, "home_district"),
        ({"home_district": "999999"}, "home_district"),
        ({"first_language": "suomi"}, "first_language"),
        ({"gender": "robot"}, "gender"),
    ],
)
def test_background_update_refuses_bad_values(details, field):
    user = UserFactory()
    for purpose in ConsentPurpose:
        services.consent_give(user=user, purpose=purpose)
    with pytest.raises(ValidationError) as info:
        services.background_update(user=user, **details)
    assert field in info.value.message_dict
    assert not BackgroundDetails.objects.filter(user=user).exists()


def test_background_update_refuses_unknown_detail():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.background_update(user=user, shoe_size="44")


def test_consent_withdraw_erases_only_the_detail_it_covered(kallio):
    user = UserFactory()
    for purpose in ConsentPurpose:
        services.consent_give(user=user, purpose=purpose)
    services.background_update(
        user=user, age_band="18_29", home_district=kallio, first_language="se"
    )
    withdrawn = services.consent_withdraw(
        user=user, purpose=ConsentPurpose.HOME_DISTRICT
    )
    assert withdrawn is not None and withdrawn.withdrawn_at is not None
    background = BackgroundDetails.objects.get(user=user)
    assert background.home_district is None
    assert background.age_band == "18_29"
    assert background.first_language == "se"
    # The record stays (who consented to what, when), only inactive now.
    assert Consent.objects.filter(user=user, purpose="home_district").count() == 1
    # And the detail cannot come back without a new consent.
    with pytest.raises(ValidationError):
        services.background_update(user=user, home_district=kallio)


def test_consent_can_be_given_again_after_withdrawal_as_a_new_record():
    user = UserFactory()
    services.consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
    services.consent_withdraw(user=user, purpose=ConsentPurpose.AGE_BAND)
    services.consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
    records = list(user.consents.order_by("given_at", "pk"))
    assert [c.is_active for c in records] == [False, True]


def test_withdrawing_without_active_consent_still_erases_and_returns_none():
    background = BackgroundDetailsFactory()
    assert (
        services.consent_withdraw(user=background.user, purpose="home_district") is None
    )
    background.refresh_from_db()
    assert background.home_district is None


def test_background_save_refuses_a_value_without_its_box_and_changes_nothing(
    kallio,
):
    user = UserFactory()
    services.consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
    services.background_update(user=user, age_band="45_64")
    with pytest.raises(ValidationError) as info:
        services.background_save(
            user=user, consented=set(), age_band="", home_district=str(kallio.pk)
        )
    assert set(info.value.message_dict) == {"home_district"}
    # Not even the withdrawal of the age band consent happened.
    assert user.consents.get(purpose="age_band").is_active
    assert BackgroundDetails.objects.get(user=user).age_band == "45_64"


def test_background_save_gives_and_withdraws_consents_by_box():
    user = UserFactory()
    services.background_save(
        user=user,
        consented={"age_band", "first_language"},
        age_band="75_up",
        home_district="",
        first_language="fi",
    )
    assert services.consents_active(user) == {"age_band", "first_language"}
    services.background_save(
        user=user,
        consented={"first_language"},
        age_band="",
        home_district="",
        first_language="fi",
    )
    background = BackgroundDetails.objects.get(user=user)
    assert (background.age_band, background.first_language) == ("", "fi")
    assert services.consents_active(user) == {"first_language"}


# --- account deletion --------------------------------------------------------


def test_account_delete_removes_the_person_and_everything_personal(city):
    user = UserFactory()
    services.role_grant(user=user, city=city, role=Role.EDITOR)
    ConsentFactory(user=user)
    BackgroundDetailsFactory(user=user)
    other = UserFactory()
    ConsentFactory(user=other)
    services.account_delete(user=user)
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Consent.objects.filter(user_id=user.pk).exists()
    assert not BackgroundDetails.objects.filter(user_id=user.pk).exists()
    assert not User.groups.through.objects.filter(user_id=user.pk).exists()
    # The role's group and other people's rows stay.
    assert Group.objects.filter(city_role__city=city).count() == len(Role)
    assert Consent.objects.filter(user=other).count() == 1


def test_refusals_carry_their_code_and_field():
    with pytest.raises(Invalid) as error:
        _signup(display_name="   ")
    assert (error.value.code, error.value.field) == ("required", "display_name")
    _signup()
    with pytest.raises(Invalid) as error:
        _signup(email="AINO@example.org")
    assert (error.value.code, error.value.field) == ("unique", "email")


def test_consent_change_for_an_account_deleted_meanwhile_is_refused():
    # The caller's copy outlived the row (deleted in another tab): the service
    # locks the person's row first and refuses cleanly instead of crashing.
    user = UserFactory()
    stale = User.objects.get(pk=user.pk)
    services.account_delete(user=user)
    with pytest.raises(Invalid) as error:
        services.consent_give(user=stale, purpose=ConsentPurpose.AGE_BAND)
    assert error.value.code == "gone"
    with pytest.raises(Invalid):
        services.consent_withdraw(user=stale, purpose=ConsentPurpose.AGE_BAND)
    assert not Consent.objects.exists()
