"""The insights pages."""

app_name = "insights"

urlpatterns: list = []
