"""Demo content for accounts: one resident who has shared background details."""

from accounts import services
from accounts.selectors import background_get
from core.models import District


def load(*, cities, city_pages, users, stdout) -> None:
    """Give the demo resident a consented age band and, where the demo has
    Helsinki, a home district (idempotent)."""
    resident = users.get("resident")
    if resident is None:
        return
    background = background_get(user=resident)
    if background is not None and background.age_band:
        return
    consented = {"age_band"}
    details = {"age_band": "30_44"}
    helsinki = cities.get("helsinki")
    if helsinki is not None:
        # Reference data the demo needs; a real city loads its own districts.
        kallio, _created = District.objects.get_or_create(
            city=helsinki,
            name_fi="Kallio",
            defaults={"slug": "kallio", "name_sv": "Berghäll", "name_en": "Kallio"},
        )
        consented.add("home_district")
        details["home_district"] = kallio
    services.background_save(user=resident, consented=consented, **details)
    stdout.write("accounts: the demo resident shared background details\n")
