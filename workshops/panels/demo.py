"""Demo content: a Helsinki customer panel taking applications, with its first
meeting planned (the demo's population figures give its targets)."""

from datetime import timedelta

from django.utils import timezone

from workshops.models import Method
from workshops.panels import services
from workshops.panels.models import Criterion, Panel

PANEL_THEME = "Kirjastopalvelujen asiakasraati"


def load(*, city, facilitator) -> Panel:
    panel = Panel.objects.filter(city=city, theme=PANEL_THEME).first()
    if panel is not None:
        return panel
    today = timezone.localdate()
    panel = services.panel_create(
        user=facilitator,
        city=city,
        theme=PANEL_THEME,
        description=(
            "Raati kehittää kirjastojen palveluja vuoden ajan: aukioloja, "
            "digitukea ja tiloja. Kokouksia on neljä, verkossa ja kirjastoissa."
        ),
        size=15,
        term_starts_on=today + timedelta(days=30),
        term_ends_on=today + timedelta(days=395),
        applications_close_at=timezone.now() + timedelta(days=21),
        criteria=Criterion.values,
        languages=["fi", "sv", "en"],
        accessibility="Kokoustilat ovat esteettömiä; induktiosilmukka on käytössä.",
        interpretation="Tulkkaus viittomakielelle ja selkokielelle pyydettäessä.",
    )
    start = (timezone.now() + timedelta(days=40)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    services.panel_meeting_add(
        user=facilitator,
        panel=panel,
        title="Asiakasraadin aloituskokous",
        method=Method.CUSTOMER_PANEL,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Oodi, Töölönlahdenkatu 4, Helsinki",
    )
    return panel
