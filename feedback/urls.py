"""The public feedback pages: the knowledge base, giving feedback, following it."""

app_name = "feedback"

urlpatterns: list = []
