"""WebSocket routes of the workshops app (the board protocol)."""

websocket_urlpatterns: list = []
