"""Every write to accounts, roles and consents.

Each refuses with a service error from `core.errors` (`Invalid`, `Conflict`, with
a code and the form field) and writes nothing then. Where several fields are
wrong at once (Django's password validators, the background form) the refusal is
one `ValidationError` holding each field's messages, as the adapter expects.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import (
    AgeBand,
    BackgroundDetails,
    CityRole,
    Consent,
    ConsentPurpose,
    FirstLanguage,
    Gender,
    Role,
    User,
)
from core.errors import Conflict, Invalid
from core.locking import lock_row
from core.models import City, District
from core.sanitize import clean_text

# Which background detail each consent purpose covers (one field per purpose);
# panel_selection covers none: it is a permission to be invited to a panel.
PURPOSE_FIELDS: dict[str, str] = {
    ConsentPurpose.AGE_BAND.value: "age_band",
    ConsentPurpose.HOME_DISTRICT.value: "home_district",
    ConsentPurpose.FIRST_LANGUAGE.value: "first_language",
    ConsentPurpose.GENDER.value: "gender",
}
FIELD_PURPOSES: dict[str, str] = {f: p for p, f in PURPOSE_FIELDS.items()}
DETAIL_FIELDS: tuple[str, ...] = tuple(PURPOSE_FIELDS.values())
# People under 18 are asked their age band and nothing else (data minimisation:
# a child's consent to more is not what a city should rely on).
UNDER_18_PURPOSES: set[str] = {ConsentPurpose.AGE_BAND.value}
_LANGUAGE_CODES = {
    code for code, _name in User._meta.get_field("preferred_language").choices
}


@transaction.atomic
def city_role_groups_ensure(city: City) -> dict[str, Group]:
    """Create (once) the group behind each role in `city`; each may open the admin."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups: dict[str, Group] = {}
    for role in Role:
        city_role = (
            CityRole.objects.select_related("group")
            .filter(city=city, role=role)
            .first()
        )
        if city_role is None:
            # Named in the default language, whatever language the request is in.
            with translation.override(settings.LANGUAGE_CODE):
                name = f"{city.name_fi}: {role.label}"
            group, _created = Group.objects.get_or_create(name=name)
            city_role = CityRole.objects.create(city=city, role=role, group=group)
        city_role.group.permissions.add(access_admin)
        groups[role.value] = city_role.group
    return groups


@transaction.atomic
def role_grant(*, user: User, city: City, role: Role | str) -> None:
    """Give `user` the `role` in `city` (through the role's group)."""
    group = city_role_groups_ensure(city)[str(role)]
    user.groups.add(group)
    user.__dict__.pop("_city_roles_cache", None)


@transaction.atomic
def role_revoke(*, user: User, city: City, role: Role | str) -> None:
    city_role = CityRole.objects.filter(city=city, role=str(role)).first()
    if city_role is not None:
        user.groups.remove(city_role.group)
    user.__dict__.pop("_city_roles_cache", None)


# --- Sign-up and profile -----------------------------------------------------


def _clean_display_name(display_name: str) -> str:
    name = clean_text(display_name, multiline=False)
    if not name:
        raise Invalid(
            _("Enter the name others will see."), field="display_name", code="required"
        )
    if len(name) > User._meta.get_field("display_name").max_length:
        raise Invalid(
            _("The name is too long."), field="display_name", code="max_length"
        )
    return name


def _clean_language(language: str) -> str:
    if language not in _LANGUAGE_CODES:
        raise Invalid(
            _("Choose one of the offered languages."),
            field="preferred_language",
            code="invalid_choice",
        )
    return language


@transaction.atomic
def user_signup(
    *, email: str, display_name: str, password: str, preferred_language: str
) -> User:
    """Create an account; the password must pass the configured validators."""
    email = User.objects.normalize_email(email).strip().lower()
    if not email:
        raise Invalid(_("Enter an e-mail address."), field="email", code="required")
    if User.objects.filter(email__iexact=email).exists():
        raise Invalid(
            _("An account with this e-mail address already exists."),
            field="email",
            code="unique",
        )
    user = User(
        email=email,
        display_name=_clean_display_name(display_name),
        preferred_language=_clean_language(preferred_language),
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    try:
        # A savepoint, so that a concurrent duplicate leaves the transaction usable.
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        # Someone signed up with the same address a moment ago.
        raise Conflict(
            _("An account with this e-mail address already exists."),
            field="email",
            code="unique",
        ) from error
    return user


@transaction.atomic
def profile_update(*, user: User, display_name: str, preferred_language: str) -> User:
    """Change the public display name and the preferred language."""
    user.display_name = _clean_display_name(display_name)
    user.preferred_language = _clean_language(preferred_language)
    user.save(update_fields=["display_name", "preferred_language"])
    return user


# --- Consent and background details ------------------------------------------


def _purpose(purpose: ConsentPurpose | str) -> str:
    value = str(purpose)
    if value not in ConsentPurpose.values:
        raise Invalid(_("Unknown consent purpose."), field="purpose", code="invalid")
    return value


def _empty(field: str) -> str | None:
    return None if field == "home_district" else ""


def consents_active(user: User) -> set[str]:
    """The purposes `user` has an active consent for."""
    return set(
        user.consents.filter(withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )


def _lock_person(user: User) -> None:
    """Lock the person's row: their consent changes happen one at a time."""
    if lock_row(User, user.pk) is None:
        raise Invalid(_("This account has been deleted."), code="gone")


def _is_under_18(user: User) -> bool:
    return BackgroundDetails.objects.filter(
        user=user, age_band=AgeBand.UNDER_18
    ).exists()


def _under_18_error(field: str) -> Invalid:
    return Invalid(
        _("People under 18 are asked only their age band; this is not stored."),
        field=field,
        code="under_18",
    )


@transaction.atomic
def consent_give(*, user: User, purpose: ConsentPurpose | str) -> Consent:
    """Record consent for `purpose`; an already active consent is returned as is.

    A person under 18 may consent only to their age band.
    """
    purpose = _purpose(purpose)
    # The person's row is locked (as in consent_withdraw) so two simultaneous
    # requests cannot both insert; the active consent is read after the lock.
    _lock_person(user)
    if purpose not in UNDER_18_PURPOSES and _is_under_18(user):
        raise _under_18_error(PURPOSE_FIELDS.get(purpose, purpose))
    active = user.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if active is not None:
        return active
    return Consent.objects.create(user=user, purpose=purpose)


def _withdraw(user: User, purposes: set[str]) -> list[Consent]:
    """Stamp the active consents for `purposes` and erase the details they cover.

    In the caller's transaction, so a detail never outlives its consent in any
    aggregate read afterwards."""
    consents = list(
        user.consents.filter(purpose__in=purposes, withdrawn_at__isnull=True)
    )
    Consent.objects.filter(pk__in=[c.pk for c in consents]).update(
        withdrawn_at=timezone.now()
    )
    fields = {
        PURPOSE_FIELDS[p]: _empty(PURPOSE_FIELDS[p])
        for p in purposes
        if p in PURPOSE_FIELDS
    }
    if fields:
        BackgroundDetails.objects.filter(user=user).update(**fields)
    user.__dict__.pop("background", None)
    return consents


@transaction.atomic
def consent_withdraw(*, user: User, purpose: ConsentPurpose | str) -> Consent | None:
    """Withdraw the active consent for `purpose` and erase the detail it covered.

    Returns the withdrawn consent, or None when there was no active one (the
    detail is erased all the same, so nothing outlives a withdrawal).
    """
    purpose = _purpose(purpose)
    _lock_person(user)
    withdrawn = _withdraw(user, {purpose})
    if withdrawn:
        withdrawn[0].refresh_from_db(fields=["withdrawn_at"])
        return withdrawn[0]
    return None


def _clean_detail(field: str, value: Any) -> Any:
    """The stored form of one detail; an empty value clears it."""
    if value in (None, ""):
        return _empty(field)
    if field == "home_district":
        if isinstance(value, District):
            return value
        district = None
        if str(value).isdigit():
            district = District.objects.filter(pk=int(value)).first()
        if district is None:
            raise Invalid(
                _("Choose one of the offered districts."),
                field=field,
                code="invalid_choice",
            )
        return district
    choices = {
        "age_band": (AgeBand, _("Choose one of the offered age bands.")),
        "first_language": (FirstLanguage, _("Choose one of the offered languages.")),
        "gender": (Gender, _("Choose one of the offered options.")),
    }
    kind, message = choices[field]
    if value not in kind.values:
        raise Invalid(message, field=field, code="invalid_choice")
    return value


def _refuse(errors: dict[str, ValidationError]) -> None:
    """Raise the refusals: one field's as `Invalid`, several fields' together."""
    if len(errors) == 1:
        (field, error), *_rest = errors.items()
        raise Invalid(error.message, field=field, code=error.code)
    if errors:
        raise ValidationError({field: [e] for field, e in errors.items()})


@transaction.atomic
def background_update(*, user: User, **details: Any) -> BackgroundDetails:
    """Store background details; each needs an active consent for its purpose.

    Pass only the details to change (`age_band=`, `home_district=` a District or
    its id, `first_language=` an ISO 639-1 code, `gender=`); an empty value
    clears one. Refused, storing nothing: a detail without its consent, a value
    not offered, any detail but the age band of a person under 18. Setting the
    age band to under 18 erases every other detail and withdraws its consent.
    """
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise Invalid(_("Unknown background detail."), code="invalid")
    _lock_person(user)
    active = consents_active(user)
    background, _created = BackgroundDetails.objects.get_or_create(user=user)
    under_18 = details.get("age_band", background.age_band) == AgeBand.UNDER_18
    cleaned: dict[str, Any] = {}
    errors: dict[str, ValidationError] = {}
    for field, value in details.items():
        try:
            cleaned[field] = _clean_detail(field, value)
        except Invalid as error:
            errors[field] = ValidationError(error.messages[0], code=error.code)
            continue
        if cleaned[field] in (None, ""):
            continue
        if FIELD_PURPOSES[field] not in active:
            errors[field] = ValidationError(
                _("Give your consent first: this detail is stored only with it."),
                code="no_consent",
            )
        elif under_18 and field != "age_band":
            errors[field] = _under_18_error(field).error_dict[field][0]
    _refuse(errors)
    for field, value in cleaned.items():
        setattr(background, field, value)
    background.save()
    if under_18:
        _withdraw(user, set(ConsentPurpose.values) - UNDER_18_PURPOSES)
        background.refresh_from_db()
    return background


@transaction.atomic
def background_save(
    *, user: User, consented: set[str], **details: Any
) -> BackgroundDetails:
    """Save the background form: consent per purpose, then the consented details.

    A purpose left out of `consented` has its consent withdrawn (erasing its
    detail), whatever value the form still shows for it: unticking the box is how
    a person withdraws. A value given for a purpose that was not consented to
    before either is refused (the box was forgotten) and nothing is written.
    With the age band under 18 the rest of the form is ignored (the page asks
    for nothing else): the other details are erased and their consents withdrawn.
    """
    for purpose in consented:
        _purpose(purpose)
    if (
        ConsentPurpose.AGE_BAND in consented
        and details.get("age_band") == AgeBand.UNDER_18
    ):
        consented = {ConsentPurpose.AGE_BAND.value}
        details = {"age_band": AgeBand.UNDER_18.value}
    active = set(
        user.consents.filter(withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )
    _refuse(
        {
            field: ValidationError(
                _("Tick the consent box to store this detail."), code="no_consent"
            )
            for purpose, field in PURPOSE_FIELDS.items()
            if purpose not in consented
            and purpose not in active
            and details.get(field) not in (None, "")
        }
    )
    _lock_person(user)
    _withdraw(user, set(ConsentPurpose.values) - consented)
    # The age band first: it decides whether the rest may be given at all.
    if ConsentPurpose.AGE_BAND in consented:
        consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
        background_update(user=user, age_band=details.get("age_band") or "")
    for purpose in consented - {ConsentPurpose.AGE_BAND.value}:
        consent_give(user=user, purpose=purpose)
    return background_update(
        user=user,
        **{
            field: details.get(field)
            for purpose, field in PURPOSE_FIELDS.items()
            if purpose in consented and field in details and field != "age_band"
        },
    )


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account at once: the User row and everything personal with it.

    Consents, background details and role memberships cascade with the row.
    Content the person wrote stays: its `author` foreign key is SET_NULL, so it is
    shown as "removed user" (`REMOVED_USER_LABEL`). Open data pseudonyms were
    derived from the author id and stay stable for rows already published.
    """
    User.objects.filter(pk=user.pk).delete()
