"""WebSocket routes of the workshops app (the board protocol)."""

from django.urls import path

from workshops.consumers import BoardConsumer

websocket_urlpatterns = [
    path("ws/boards/<int:board_id>/", BoardConsumer.as_asgi()),
]
