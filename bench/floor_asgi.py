"""The floor for bench/board_fanout.py: a bare Channels broadcast consumer with no
database, no validation and no authentication. Every frame goes to every socket
through the standard Channels pattern: each socket a member of the group."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from channels.consumer import get_handler_name  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class FloorConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = f"floor.{self.scope['url_route']['kwargs']['board']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(
            self.group, {"type": "floor.message", "text": text_data}
        )

    async def dispatch(self, message):
        # No per-message close_old_connections hop to the database thread (Channels
        # >= 4.2 adds one): the floor has no database, and the board consumer skips
        # it too, so the floor stays a floor.
        await getattr(self, get_handler_name(message))(message)

    async def floor_message(self, message):
        await self.send(text_data=message["text"])


application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/floor/<int:board>/", FloorConsumer.as_asgi())])}
)
