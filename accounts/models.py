"""People, their roles per city, and what they have consented to.

A `User` logs in with an e-mail address and shows a public display name. Roles per
city are Django groups (one per city and role, see `CityRole`) so that the Wagtail
admin's user screens manage them and Wagtail page permissions can hang on them.
Background details are stored only under an active `Consent` for their purpose;
`panel_selection` is the one purpose that covers no detail.
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

from core.models import AgeBand, City, District, Gender

# AgeBand and Gender are core's (population figures use the same groups); they
# stay importable from here for the code that always has.

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
    FEEDBACK_HANDLER = "feedback_handler", _("Feedback handler")
    ADVISOR = "advisor", _("Advisor")
    ADVICE_SUPERVISOR = "advice_supervisor", _("Advice desk supervisor")


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
    """Each purpose but `panel_selection` covers exactly one background detail."""

    AGE_BAND = "age_band", _("My age band, for participation statistics")
    HOME_DISTRICT = "home_district", _("My home district, for participation statistics")
    FIRST_LANGUAGE = (
        "first_language",
        _("My first language, for participation statistics"),
    )
    GENDER = "gender", _("My gender, for participation statistics")
    # Covers no detail: a permission to be invited (workshops' panels read it).
    PANEL_SELECTION = (
        "panel_selection",
        _("I may be selected to a customer panel"),
    )


class FirstLanguage(models.TextChoices):
    """ISO 639-1 codes of the first languages common in Finland, and "other".

    Each language is named in itself (as people look for their own language in a
    list), so these names are not translated; only "other" is.
    """

    FI = "fi", "suomi"
    SV = "sv", "svenska"
    EN = "en", "English"
    RU = "ru", "русский"
    ET = "et", "eesti"
    AR = "ar", "العربية"
    SO = "so", "Soomaali"
    FA = "fa", "فارسی"
    KU = "ku", "kurdî"
    ZH = "zh", "中文"
    SQ = "sq", "shqip"
    VI = "vi", "Tiếng Việt"
    TH = "th", "ไทย"
    TR = "tr", "Türkçe"
    ES = "es", "español"
    DE = "de", "Deutsch"
    FR = "fr", "français"
    UK = "uk", "українська"
    SE = "se", "davvisámegiella"
    OTHER = "other", _("other language")


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
    """Optional details; each field is set only while its purpose has consent.

    A person under 18 (`age_band` under_18) gives nothing else: the services
    clear and refuse every other detail."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="background"
    )
    age_band = models.CharField(
        _("age band"), max_length=16, choices=AgeBand.choices, blank=True
    )
    home_district = models.ForeignKey(
        District,
        verbose_name=_("home district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_language = models.CharField(
        _("first language"), max_length=8, choices=FirstLanguage.choices, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, blank=True
    )

    class Meta:
        verbose_name = _("background details")
        verbose_name_plural = _("background details")
