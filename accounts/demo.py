"""Demo content for accounts: one resident who has shared a background detail."""

from accounts import services
from accounts.selectors import background_get


def load(*, cities, city_pages, users, stdout) -> None:
    """Give the demo resident a consented home district (idempotent)."""
    resident = users.get("resident")
    if resident is None:
        return
    background = background_get(user=resident)
    if background is not None and background.home_district:
        return
    services.background_save(
        user=resident, consented={"home_district"}, home_district="Kallio"
    )
    stdout.write("accounts: the demo resident shared a home district\n")
