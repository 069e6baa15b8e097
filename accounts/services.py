"""Every write to accounts, roles and consents.

Each refuses with a service error from `core.errors` (`Invalid`, `Conflict`, with
a code and the form field) and writes nothing then. Where several fields are
wrong at once (Django's password validators, the background form) the refusal is
one `ValidationError` holding each field's messages, as the adapter expects.
"""

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
    Role,
    User,
)
from core.errors import Conflict, Invalid
from core.locking import lock_row
from core.models import City
from core.sanitize import clean_text

# Which background detail each consent purpose covers (one field per purpose).
PURPOSE_FIELDS: dict[str, str] = {
    ConsentPurpose.AGE_BAND: "age_band",
    ConsentPurpose.HOME_DISTRICT: "home_district",
    ConsentPurpose.FIRST_LANGUAGE: "first_language",
}
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
    if value not in PURPOSE_FIELDS:
        raise Invalid(_("Unknown consent purpose."), field="purpose", code="invalid")
    return value


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


@transaction.atomic
def consent_give(*, user: User, purpose: ConsentPurpose | str) -> Consent:
    """Record consent for `purpose`; an already active consent is returned as is."""
    purpose = _purpose(purpose)
    # The person's row is locked (as in consent_withdraw) so two simultaneous
    # requests cannot both insert; the active consent is read after the lock.
    _lock_person(user)
    active = user.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if active is not None:
        return active
    return Consent.objects.create(user=user, purpose=purpose)


@transaction.atomic
def consent_withdraw(*, user: User, purpose: ConsentPurpose | str) -> Consent | None:
    """Withdraw the active consent for `purpose` and erase the detail it covered.

    Returns the withdrawn consent, or None when there was no active one (the
    detail is erased all the same, so nothing outlives a withdrawal).
    """
    purpose = _purpose(purpose)
    now = timezone.now()
    _lock_person(user)
    consent = user.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if consent is not None:
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
    BackgroundDetails.objects.filter(user=user).update(**{PURPOSE_FIELDS[purpose]: ""})
    user.__dict__.pop("background", None)
    return consent


def _clean_detail(field: str, value: str) -> str:
    if field == "age_band":
        if value and value not in AgeBand.values:
            raise Invalid(
                _("Choose one of the offered age bands."),
                field="age_band",
                code="invalid_choice",
            )
        return value
    text = clean_text(value, multiline=False)
    max_length = BackgroundDetails._meta.get_field(field).max_length
    if len(text) > max_length:
        raise Invalid(
            _("Use at most %(max)d characters.") % {"max": max_length},
            field=field,
            code="max_length",
        )
    return text


@transaction.atomic
def background_update(*, user: User, **details: str) -> BackgroundDetails:
    """Store background details; each needs an active consent for its purpose.

    Pass only the details to change (`age_band=`, `home_district=`,
    `first_language=`); an empty value clears one. Storing a detail without
    consent is refused (a `ValidationError` naming each such field) and stores
    nothing.
    """
    fields = {field: purpose for purpose, field in PURPOSE_FIELDS.items()}
    unknown = set(details) - set(fields)
    if unknown:
        raise Invalid(_("Unknown background detail."), code="invalid")
    active = consents_active(user)
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for field, value in details.items():
        try:
            cleaned[field] = _clean_detail(field, value or "")
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if cleaned[field] and fields[field] not in active:
            errors[field] = [
                _("Give your consent first: this detail is stored only with it.")
            ]
    if errors:
        raise ValidationError(errors, code="no_consent")
    background, _created = BackgroundDetails.objects.get_or_create(user=user)
    for field, value in cleaned.items():
        setattr(background, field, value)
    background.save()
    return background


@transaction.atomic
def background_save(
    *, user: User, consented: set[str], **details: str
) -> BackgroundDetails:
    """Save the background form: consent per purpose, then the consented details.

    A purpose left out of `consented` has its consent withdrawn (erasing its
    detail); a value given for such a purpose is refused and nothing is written.
    """
    for purpose in consented:
        _purpose(purpose)
    refused = {
        field: [_("Tick the consent box to store this detail.")]
        for purpose, field in PURPOSE_FIELDS.items()
        if purpose not in consented and (details.get(field) or "").strip()
    }
    if refused:
        raise ValidationError(refused, code="no_consent")
    for purpose in PURPOSE_FIELDS:
        if purpose in consented:
            consent_give(user=user, purpose=purpose)
        else:
            consent_withdraw(user=user, purpose=purpose)
    return background_update(
        user=user,
        **{
            field: details.get(field) or ""
            for purpose, field in PURPOSE_FIELDS.items()
            if purpose in consented and field in details
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
