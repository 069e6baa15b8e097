"""The public reports (`/reports/…`)."""

app_name = "reports"

urlpatterns: list = []
