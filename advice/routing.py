"""WebSocket routes of the advice desk (the chat protocol)."""

from django.urls import path

from advice.consumers import ChatConsumer, DeskConsumer

websocket_urlpatterns = [
    path("ws/advice/chats/<int:chat_id>/", ChatConsumer.as_asgi()),
    path("ws/advice/desk/", DeskConsumer.as_asgi()),
]
