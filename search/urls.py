"""The search pages."""

app_name = "search"

urlpatterns: list = []
