"""The demo users, one per role, each role held in every demo city but the
advisors': each advises in one city (`ADVISOR_CITIES`)."""

from django.contrib.auth import get_user_model

from accounts.models import Role
from accounts.services import role_grant
from cms.demo.site import DemoSite
from core.models import City

DEMO_PASSWORD = "palvelupaja-demo"  # noqa: S105 - written in the README on purpose
# key → (e-mail, public display name, preferred language, site admin?)
DEMO_USERS = {
    "admin": ("admin@palvelupaja.test", "Ylläpito", "fi", True),
    "editor": ("editor@palvelupaja.test", "Eeva Editori", "fi", False),
    "moderator": ("moderator@palvelupaja.test", "Mikko Moderaattori", "fi", False),
    "facilitator": (
        "facilitator@palvelupaja.test",
        "Fanni Fasilitaattori",
        "sv",
        False,
    ),
    "feedback_handler": (
        "handler@palvelupaja.test",
        "Hanna Käsittelijä",
        "fi",
        False,
    ),
    "advisor": ("advisor@palvelupaja.test", "Aino", "fi", False),
    "advisor2": ("advisor2@palvelupaja.test", "Tuomas", "sv", False),
    "advice_supervisor": (
        "supervisor@palvelupaja.test",
        "Sara Esihenkilö",
        "fi",
        False,
    ),
    "resident": ("resident@palvelupaja.test", "Riikka Asukas", "fi", False),
    "resident2": ("resident2@palvelupaja.test", "Sam Resident", "en", False),
}

# The advisors advise in one city each (their languages: `advice/demo.py`).
ADVISOR_CITIES = {"advisor": "helsinki", "advisor2": "turku"}


def users(site: DemoSite, cities: dict[str, City]) -> dict:
    """The demo users by key (see DEMO_USERS), with their roles granted."""
    User = get_user_model()
    users = {}
    for key, (email, display_name, language, is_admin) in DEMO_USERS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            create = (
                User.objects.create_superuser
                if is_admin
                else (User.objects.create_user)
            )
            user = create(
                email,
                DEMO_PASSWORD,
                display_name=display_name,
                preferred_language=language,
            )
            site.report(f"user {email}")
        users[key] = user
    # One person per role, holding it in both cities; the advisors in their own.
    for role in Role:
        if role == Role.ADVISOR:
            continue
        for city in cities.values():
            role_grant(user=users[role.value], city=city, role=role)
    for key, slug in ADVISOR_CITIES.items():
        if slug in cities:
            role_grant(user=users[key], city=cities[slug], role=Role.ADVISOR)
    return users
