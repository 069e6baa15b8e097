"""People, their roles per city, and what they have consented to.

A `User` logs in with an e-mail address and shows a public display name. Roles per
city are Django groups (one per city and role, see `CityRole`) so that the Wagtail
admin's user screens manage them and Wagtail page permissions can hang on them.
Background details are stored only under an active `Consent` for their purpose.
"""

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    Group,
    PermissionsMixin,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import City

REMOVED_USER_LABEL = _("removed user")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str):
        # Log-in by e-mail ignores case: addresses are stored in lower case.
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A registered person. Deleting the row is how an account is deleted."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown publicly next to what you write."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    # Wagtail's admin reads these.
    @property
    def first_name(self) -> str:
        return self.display_name

    @property
    def last_name(self) -> str:
        return ""


class Role(models.TextChoices):
    EDITOR = "editor", _("Editor")
    MODERATOR = "moderator", _("Moderator")
    FACILITATOR = "facilitator", _("Facilitator")


class CityRole(models.Model):
    """Ties a Django group to one role in one city; membership grants the role."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="city_role"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city", "role"], name="unique_city_role")
        ]
        verbose_name = _("city role")
        verbose_name_plural = _("city roles")

    def __str__(self) -> str:
        return f"{self.city}: {self.get_role_display()}"


class ConsentPurpose(models.TextChoices):
    """Each purpose covers exactly one optional background detail."""

    AGE_BAND = "age_band", _("My age band, for participation statistics")
    HOME_DISTRICT = "home_district", _("My home district, for participation statistics")
    FIRST_LANGUAGE = (
        "first_language",
        _("My first language, for participation statistics"),
    )


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("under 18")
    AGE_18_29 = "18_29", _("18–29")
    AGE_30_44 = "30_44", _("30–44")
    AGE_45_64 = "45_64", _("45–64")
    AGE_65_74 = "65_74", _("65–74")
    AGE_75_UP = "75_up", _("75 or over")


class Consent(models.Model):
    """A consent given for one purpose; withdrawing it stamps `withdrawn_at`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(
        _("purpose"), max_length=32, choices=ConsentPurpose.choices
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class BackgroundDetails(models.Model):
    """Optional details; each field is set only while its purpose has consent."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="background"
    )
    age_band = models.CharField(
        _("age band"), max_length=16, choices=AgeBand.choices, blank=True
    )
    home_district = models.CharField(_("home district"), max_length=100, blank=True)
    first_language = models.CharField(_("first language"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("background details")
        verbose_name_plural = _("background details")
